using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCloud.HostAgent.Hosting;
using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.Drivers.Simulated;

/// <summary>
/// A hypervisor in memory: domains per host with their state and address. It behaves like a real
/// driver where the control plane can tell (latency, idempotency, failures), and counts how often
/// each operation really changed something, so tests can prove side effects happen once. The
/// simulated hosts of an area share their storage, so a migrated VM's disk never moves.
/// </summary>
public sealed partial class SimulatedDriver(IOptions<HostAgentOptions> options, SimulatedFaults faults, TimeProvider time, ILogger<SimulatedDriver> logger) :
    IHypervisorDriver,
    IVmInventory,
    IHostOperationHandler<CreateVm>,
    IHostOperationHandler<DeleteVm>,
    IHostOperationHandler<StartVm>,
    IHostOperationHandler<StopVm>,
    IHostOperationHandler<RebootVm>,
    IHostOperationHandler<ResizeVm>,
    IHostOperationHandler<ReceiveVm>,
    IHostOperationHandler<ReleaseVm>,
    IHostOperationHandler<AttachInterface>,
    IHostOperationHandler<DetachInterface>
{
    public const string DriverName = "simulated";

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, SimulatedDomain>> _hosts = SimulatedDomainFile.Load(options.Value.Simulated.StatePath);
    private readonly Lock _saving = new();
    private readonly ConcurrentDictionary<string, int> _applied = new(StringComparer.Ordinal);

    public string Name => DriverName;

    /// <summary>How many times an operation id changed the simulated hypervisor (0 or 1 when all is well).</summary>
    public int AppliedCount(string operationId) => _applied.GetValueOrDefault(operationId);

    public IReadOnlyCollection<SimulatedDomain> Domains(string hostName) =>
        _hosts.TryGetValue(hostName, out var domains) ? [.. domains.Values] : [];

    public Task<IReadOnlyList<VmInfo>> ListVmsAsync(string hostName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VmInfo>>(_hosts.TryGetValue(hostName, out var domains)
            ? [.. domains.Values.OrderBy(d => d.VmId, StringComparer.Ordinal)
                .Select(d => new VmInfo(d.VmId, d.Running ? "running" : "shut off", d.Spec.Cpu, d.Spec.RamMb, AddressesOf(d)))]
            : []);

    /// <summary>
    /// The tenant networks realised on a simulated host (network id to VLAN): those its VMs' interfaces
    /// join, so a network appears with the first interface that lands there and goes with the last.
    /// </summary>
    public IReadOnlyDictionary<string, int> Networks(string hostName) =>
        NetworksOn(_hosts.TryGetValue(hostName, out var domains) ? domains.Values : []);

    private static Dictionary<string, int> NetworksOn(IEnumerable<SimulatedDomain> domains) =>
        domains.SelectMany(d => d.Spec.Interfaces ?? []).GroupBy(i => i.NetworkId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Vlan, StringComparer.Ordinal);

    private static IReadOnlyList<string> AddressesOf(SimulatedDomain domain) =>
        domain.Spec.Interfaces is { Count: > 0 } interfaces ? [.. interfaces.Select(i => i.Address)] : [domain.Address];

    public Task<int> CountRunningAsync(string hostName, CancellationToken cancellationToken) =>
        Task.FromResult(_hosts.TryGetValue(hostName, out var domains) ? domains.Values.Count(d => d.Running) : 0);

    public Task<HostOperationResult> ExecuteAsync(string hostName, CreateVm operation, CancellationToken cancellationToken) =>
        Run(hostName, operation, cancellationToken, domains =>
        {
            var spec = operation.Spec;
            var domain = new SimulatedDomain(operation.VmId, spec, spec.Interfaces is [var first, ..] ? first.Address : AddressFor(operation.VmId), Running: true);
            var logs = new List<string>();
            var added = ChangeNetworks(domains, spec.Interfaces, logs, () => domains.TryAdd(operation.VmId, domain));
            Applied(added, hostName, operation);
            logs.Insert(0, added
                ? $"simulated: defined and started {operation.VmId} on {hostName} ({spec.Cpu} vcpu, {spec.RamMb} MB, {spec.DiskGb} GB, image {spec.ImageId})"
                : $"simulated: {operation.VmId} already exists on {hostName}; nothing to do");
            return HostOperationResult.Success(operation.OperationId, logs, AddressesOf(domains.GetValueOrDefault(operation.VmId) ?? domain));
        });

    public Task<HostOperationResult> ExecuteAsync(string hostName, DeleteVm operation, CancellationToken cancellationToken) =>
        Run(hostName, operation, cancellationToken, domains =>
        {
            var logs = new List<string>();
            var removed = ChangeNetworks(domains, domains.GetValueOrDefault(operation.VmId)?.Spec.Interfaces, logs, () => domains.TryRemove(operation.VmId, out _));
            Applied(removed, hostName, operation);
            logs.Insert(0, removed ? $"simulated: destroyed and undefined {operation.VmId} on {hostName}" : $"simulated: {operation.VmId} is not on {hostName}; nothing to do");
            return HostOperationResult.Success(operation.OperationId, logs);
        });

    public Task<HostOperationResult> ExecuteAsync(string hostName, StartVm operation, CancellationToken cancellationToken) =>
        Run(hostName, operation, cancellationToken, domains => SetRunning(hostName, domains, operation, running: true));

    public Task<HostOperationResult> ExecuteAsync(string hostName, StopVm operation, CancellationToken cancellationToken) =>
        Run(hostName, operation, cancellationToken, domains => SetRunning(hostName, domains, operation, running: false));

    public Task<HostOperationResult> ExecuteAsync(string hostName, RebootVm operation, CancellationToken cancellationToken) =>
        Run(hostName, operation, cancellationToken, domains =>
        {
            if (!domains.TryGetValue(operation.VmId, out var domain) || !domain.Running)
            {
                return NotThere(hostName, operation, domain is null ? "is not defined" : "is not running");
            }

            Applied(true, hostName, operation);
            return HostOperationResult.Success(operation.OperationId, [$"simulated: {operation.VmId} on {hostName} {(operation.Force ? "reset" : "rebooted")}"]);
        });

    public Task<HostOperationResult> ExecuteAsync(string hostName, ResizeVm operation, CancellationToken cancellationToken) =>
        Run(hostName, operation, cancellationToken, domains =>
        {
            if (!domains.TryGetValue(operation.VmId, out var domain) || domain.Running)
            {
                return NotThere(hostName, operation, domain is null ? "is not defined" : "must be stopped to be resized");
            }

            var spec = domain.Spec with { Cpu = operation.Cpu, RamMb = operation.RamMb, DiskGb = Math.Max(domain.Spec.DiskGb, operation.DiskGb) };
            var changed = spec != domain.Spec;
            domains[operation.VmId] = domain with { Spec = spec };
            Applied(changed, hostName, operation);
            return HostOperationResult.Success(operation.OperationId, [$"simulated: {operation.VmId} on {hostName} now {spec.Cpu} vcpu, {spec.RamMb} MB, {spec.DiskGb} GB"]);
        });

    public Task<HostOperationResult> ExecuteAsync(string hostName, ReceiveVm operation, CancellationToken cancellationToken) =>
        Run(hostName, operation, cancellationToken, domains =>
        {
            var added = ChangeNetworks(domains, operation.Spec.Interfaces, [], () => domains.TryAdd(operation.VmId, new SimulatedDomain(operation.VmId, operation.Spec, AddressFor(operation.VmId), Running: false)));
            Applied(added, hostName, operation);
            return HostOperationResult.Success(operation.OperationId,
                [added ? $"simulated: {operation.VmId} from {operation.SourceHost} defined on {hostName} (shared storage)" : $"simulated: {operation.VmId} is defined on {hostName} already"])
                .WithFact("disk", "shared");
        });

    public Task<HostOperationResult> ExecuteAsync(string hostName, ReleaseVm operation, CancellationToken cancellationToken) =>
        Run(hostName, operation, cancellationToken, domains =>
        {
            var removed = ChangeNetworks(domains, domains.GetValueOrDefault(operation.VmId)?.Spec.Interfaces, [], () => domains.TryRemove(operation.VmId, out _));
            Applied(removed, hostName, operation);
            return HostOperationResult.Success(operation.OperationId,
                [removed ? $"simulated: {operation.VmId} left {hostName}{(operation.KeepDisks ? " (disks kept)" : "")}" : $"simulated: {operation.VmId} is not on {hostName}; nothing to do"]);
        });

    public Task<HostOperationResult> ExecuteAsync(string hostName, AttachInterface operation, CancellationToken cancellationToken) =>
        Run(hostName, operation, cancellationToken, domains =>
        {
            if (!domains.TryGetValue(operation.VmId, out var domain))
            {
                return NotThere(hostName, operation, "is not defined");
            }

            var nic = operation.Interface;
            var logs = new List<string>();
            var interfaces = domain.Spec.Interfaces ?? [];
            var added = !interfaces.Any(i => i.Mac == nic.Mac)
                && ChangeNetworks(domains, [nic], logs, () => domains.TryUpdate(operation.VmId, domain with { Spec = domain.Spec with { Interfaces = [.. interfaces, nic] } }, domain));
            Applied(added, hostName, operation);
            logs.Insert(0, added ? $"simulated: {operation.VmId} on {hostName} got interface {nic.Mac} ({nic.Address}) on {nic.NetworkId}" : $"simulated: {operation.VmId} has interface {nic.Mac} already");
            return HostOperationResult.Success(operation.OperationId, logs);
        });

    public Task<HostOperationResult> ExecuteAsync(string hostName, DetachInterface operation, CancellationToken cancellationToken) =>
        Run(hostName, operation, cancellationToken, domains =>
        {
            var nic = operation.Interface;
            var logs = new List<string>();
            var removed = domains.TryGetValue(operation.VmId, out var domain) && (domain.Spec.Interfaces ?? []).Any(i => i.Mac == nic.Mac)
                && ChangeNetworks(domains, [nic], logs, () =>
                {
                    var left = domain.Spec.Interfaces!.Where(i => i.Mac != nic.Mac).ToList();
                    return domains.TryUpdate(operation.VmId, domain with { Spec = domain.Spec with { Interfaces = left.Count > 0 ? left : null } }, domain);
                });
            Applied(removed, hostName, operation);
            logs.Insert(0, removed ? $"simulated: {operation.VmId} on {hostName} lost interface {nic.Mac} on {nic.NetworkId}" : $"simulated: {operation.VmId} has no interface {nic.Mac}; nothing to detach");
            return HostOperationResult.Success(operation.OperationId, logs);
        });

    /// <summary>
    /// Applies a change of the host's domains and logs the networks it realised (first interface) or
    /// removed (last one gone). Only a change touching tenant interfaces (<paramref name="involved"/>)
    /// looks at the other domains.
    /// </summary>
    private static bool ChangeNetworks(ConcurrentDictionary<string, SimulatedDomain> domains, IReadOnlyList<VmInterface>? involved, List<string> logs, Func<bool> change)
    {
        if (involved is not { Count: > 0 })
        {
            return change();
        }

        lock (domains)
        {
            var before = NetworksOn(domains.Values);
            var changed = change();
            var after = NetworksOn(domains.Values);
            logs.AddRange(after.Keys.Except(before.Keys).Order(StringComparer.Ordinal).Select(n => $"simulated: network {n} realised on this host (VLAN {after[n]})"));
            logs.AddRange(before.Keys.Except(after.Keys).Order(StringComparer.Ordinal).Select(n => $"simulated: network {n} removed from this host (no VM here joins it any more)"));
            return changed;
        }
    }

    /// <summary>What every operation shares: the configured latency, injected failures, the host's domains.</summary>
    private async Task<HostOperationResult> Run(string hostName, VmOperation operation, CancellationToken cancellationToken,
        Func<ConcurrentDictionary<string, SimulatedDomain>, HostOperationResult> apply)
    {
        var latency = options.Value.Simulated.Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, time, cancellationToken);
        }

        if (faults.TakeFailure(hostName, operation) is { } retryable)
        {
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.HostOperationFailed,
                $"simulated failure of {operation.Name} for {operation.VmId} on {hostName}", retryable,
                [$"simulated: {operation.Name} {operation.VmId} on {hostName} failed (injected, retryable={retryable})"]);
        }

        var result = apply(_hosts.GetOrAdd(hostName, _ => new ConcurrentDictionary<string, SimulatedDomain>(StringComparer.Ordinal)));
        if (options.Value.Simulated.StatePath is { Length: > 0 } path)
        {
            lock (_saving)
            {
                SimulatedDomainFile.Save(path, _hosts);
            }
        }

        return result;
    }

    private HostOperationResult SetRunning(string hostName, ConcurrentDictionary<string, SimulatedDomain> domains, VmOperation operation, bool running)
    {
        if (!domains.TryGetValue(operation.VmId, out var domain))
        {
            return NotThere(hostName, operation, "is not defined");
        }

        domains[operation.VmId] = domain with { Running = running };
        Applied(domain.Running != running, hostName, operation);
        return HostOperationResult.Success(operation.OperationId, [$"simulated: {operation.VmId} on {hostName} is {(running ? "running" : "stopped")}"]);
    }

    private static HostOperationResult NotThere(string hostName, VmOperation operation, string why) =>
        HostOperationResult.Failure(operation.OperationId, ErrorCodes.InvalidStateTransition, $"{operation.VmId} on {hostName} {why}", false, []);

    private void Applied(bool changed, string hostName, VmOperation operation)
    {
        if (changed)
        {
            _applied.AddOrUpdate(operation.OperationId, 1, (_, n) => n + 1);
            LogApplied(logger, operation.Name, operation.OperationId, operation.VmId, hostName);
        }
    }

    /// <summary>A stable private address per VM, as DHCP with a fixed lease would give.</summary>
    private static string AddressFor(string vmId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(vmId));
        return $"10.{hash[0]}.{hash[1]}.{(hash[2] % 253) + 2}";
    }

    /// <summary>One line per side effect actually applied: what crash tests count to prove "exactly once".</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated {Operation} applied: operation {OperationId} for {VmId} on {Host}")]
    private static partial void LogApplied(ILogger logger, string operation, string operationId, string vmId, string host);
}
