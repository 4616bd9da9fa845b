using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OrleansCloud.HostAgent.Hosting;

namespace OrleansCloud.HostAgent.Drivers.Simulated;

/// <summary>
/// A hypervisor in memory: domains per host with their state and address. It behaves like a real
/// driver where the control plane can tell (latency, idempotency, failures), and counts how often
/// each operation really changed something, so tests can prove side effects happen once.
/// </summary>
public sealed partial class SimulatedDriver(IOptions<HostAgentOptions> options, SimulatedFaults faults, TimeProvider time, ILogger<SimulatedDriver> logger) : IHypervisorDriver, IVmInventory
{
    public const string DriverName = "simulated";

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, SimulatedDomain>> _hosts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _applied = new(StringComparer.Ordinal);

    public string Name => DriverName;

    /// <summary>How many times an operation id changed the simulated hypervisor (0 or 1 when all is well).</summary>
    public int AppliedCount(string operationId) => _applied.GetValueOrDefault(operationId);

    public IReadOnlyCollection<SimulatedDomain> Domains(string hostName) =>
        _hosts.TryGetValue(hostName, out var domains) ? [.. domains.Values] : [];

    public async Task<HostOperationResult> ExecuteAsync(string hostName, HostOperation operation, CancellationToken cancellationToken)
    {
        var latency = options.Value.Simulated.Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, time, cancellationToken);
        }

        if (faults.TakeFailure(hostName, operation.Kind) is { } retryable)
        {
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.HostOperationFailed,
                $"simulated failure of {operation.Kind} for {operation.VmId} on {hostName}", retryable,
                [$"simulated: {operation.Kind} {operation.VmId} on {hostName} failed (injected, retryable={retryable})"]);
        }

        var domains = _hosts.GetOrAdd(hostName, _ => new ConcurrentDictionary<string, SimulatedDomain>(StringComparer.Ordinal));
        return operation.Kind switch
        {
            HostOperationKind.CreateVm => Create(hostName, domains, operation),
            HostOperationKind.DeleteVm => Delete(hostName, domains, operation),
            HostOperationKind.StartVm => SetRunning(hostName, domains, operation, running: true),
            HostOperationKind.StopVm => SetRunning(hostName, domains, operation, running: false),
            _ => HostOperationResult.Failure(operation.OperationId, ErrorCodes.HostOperationFailed, $"unsupported operation {operation.Kind}", false, []),
        };
    }

    public Task<IReadOnlyList<VmInfo>> ListVmsAsync(string hostName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VmInfo>>(_hosts.TryGetValue(hostName, out var domains)
            ? [.. domains.Values.OrderBy(d => d.VmId, StringComparer.Ordinal)
                .Select(d => new VmInfo(d.VmId, d.Running ? "running" : "shut off", d.Spec.Cpu, d.Spec.RamMb, [d.Address]))]
            : []);

    public Task<int> CountRunningAsync(string hostName, CancellationToken cancellationToken) =>
        Task.FromResult(_hosts.TryGetValue(hostName, out var domains) ? domains.Values.Count(d => d.Running) : 0);

    private HostOperationResult Create(string hostName, ConcurrentDictionary<string, SimulatedDomain> domains, HostOperation operation)
    {
        if (operation.Spec is null)
        {
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.Validation, "CreateVm needs a spec", false, []);
        }

        var address = AddressFor(operation.VmId);
        var added = domains.TryAdd(operation.VmId, new SimulatedDomain(operation.VmId, operation.Spec, address, Running: true));
        if (added)
        {
            _applied.AddOrUpdate(operation.OperationId, 1, (_, n) => n + 1);
            LogApplied(logger, operation.Kind, operation.OperationId, operation.VmId, hostName);
        }

        var spec = operation.Spec;
        return HostOperationResult.Success(operation.OperationId,
            [added
                ? $"simulated: defined and started {operation.VmId} on {hostName} ({spec.Cpu} vcpu, {spec.RamMb} MB, {spec.DiskGb} GB, image {spec.ImageId})"
                : $"simulated: {operation.VmId} already exists on {hostName}; nothing to do"],
            [address]);
    }

    private HostOperationResult Delete(string hostName, ConcurrentDictionary<string, SimulatedDomain> domains, HostOperation operation)
    {
        var removed = domains.TryRemove(operation.VmId, out _);
        if (removed)
        {
            _applied.AddOrUpdate(operation.OperationId, 1, (_, n) => n + 1);
            LogApplied(logger, operation.Kind, operation.OperationId, operation.VmId, hostName);
        }

        return HostOperationResult.Success(operation.OperationId,
            [removed ? $"simulated: destroyed and undefined {operation.VmId} on {hostName}" : $"simulated: {operation.VmId} is not on {hostName}; nothing to do"]);
    }

    private static HostOperationResult SetRunning(string hostName, ConcurrentDictionary<string, SimulatedDomain> domains, HostOperation operation, bool running)
    {
        if (!domains.TryGetValue(operation.VmId, out var domain))
        {
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.NotFound, $"{operation.VmId} is not on {hostName}", false, []);
        }

        domains[operation.VmId] = domain with { Running = running };
        return HostOperationResult.Success(operation.OperationId, [$"simulated: {operation.VmId} on {hostName} is {(running ? "running" : "stopped")}"]);
    }

    /// <summary>A stable private address per VM, as DHCP with a fixed lease would give.</summary>
    private static string AddressFor(string vmId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(vmId));
        return $"10.{hash[0]}.{hash[1]}.{(hash[2] % 253) + 2}";
    }

    /// <summary>One line per side effect actually applied: what crash tests count to prove "exactly once".</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated {Kind} applied: operation {OperationId} for {VmId} on {Host}")]
    private static partial void LogApplied(ILogger logger, HostOperationKind kind, string operationId, string vmId, string host);
}
