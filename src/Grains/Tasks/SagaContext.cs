using System.Globalization;
using System.Text.Json;
using OrleansCloud.Hosts;
using OrleansCloud.Tasks;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Tasks;

/// <summary>
/// What an action definition sees of its task: the request, the resources and hosts recorded so far,
/// a small durable key/value store, and the reservation primitives every action shares (quota holds,
/// elections and capacity claims). Whatever a definition records here is persisted by the engine
/// before the next side effect; <see cref="Save"/> persists at once, before a claim or hold.
/// </summary>
public sealed class SagaContext(
    string taskId,
    TaskGrainState state,
    IGrainFactory grains,
    TaskOptions options,
    Hosts.PlacementOptions placement,
    DateTimeOffset now,
    Func<Task> save,
    Action<string> log)
{
    public string TaskId { get; } = taskId;

    public TaskRequest Request => state.Request!;

    public string TenantId => Request.TenantId;

    public IGrainFactory Grains { get; } = grains;

    public TaskOptions Options { get; } = options;

    public DateTimeOffset Now { get; } = now;

    public ITenantGrain Tenant => Grains.Ref<ITenantGrain>(TenantId);

    public string? Resource(string kind) => state.Resources.GetValueOrDefault(kind);

    public void SetResource(string kind, string id) => state.Resources[kind] = id;

    public string? Host(string role) => state.Hosts.GetValueOrDefault(role);

    public void SetHost(string role, string name) => state.Hosts[role] = name;

    public string? Data(string key) => state.Data.GetValueOrDefault(key);

    public void SetData(string key, string value) => state.Data[key] = value;

    public T? Json<T>(string key) => state.Data.TryGetValue(key, out var json) ? JsonSerializer.Deserialize<T>(json) : default;

    public void SetJson<T>(string key, T value) => state.Data[key] = JsonSerializer.Serialize(value);

    public bool Flag(string key) => state.Data.GetValueOrDefault(key) == "true";

    public void SetFlag(string key, bool value) => state.Data[key] = value ? "true" : "false";

    /// <summary>The addresses a finished step reported.</summary>
    public IReadOnlyList<string> AddressesOf(string step) =>
        state.Data.TryGetValue($"{step}.addresses", out var joined) && joined.Length > 0 ? joined.Split(',') : [];

    /// <summary>A fact a finished step reported, e.g. how a migration's disk travelled.</summary>
    public string? FactOf(string step, string fact) => state.Data.GetValueOrDefault($"{step}.{fact}");

    public void Log(string line) => log(line);

    public Task Save() => save();

    /// <summary>The id of the VM this task targets or creates (recorded by the definition).</summary>
    public string VmId => Resource(ResourceKinds.Vm) ?? throw new InvalidOperationException($"Task {TaskId} has no VM.");

    public IVmGrain Vm => Grains.Ref<IVmGrain>(VmId);

    public IHostGrain HostGrain(string name) => Grains.Ref<IHostGrain>(name);

    /// <summary>The target VM, seen as the task's tenant: not found when it is another tenant's.</summary>
    public async Task<Result<VmView>> TargetVm()
    {
        var vm = await Grains.Ref<IVmGrain>(Request.Target!.RefId).Get(TenantId);
        if (vm.IsSuccess)
        {
            SetResource(ResourceKinds.Vm, vm.Value.VmId);
        }

        return vm;
    }

    /// <summary>
    /// Loads the target VM, records its host (role "host") and holds the VM for <paramref name="change"/>
    /// by this task: what every action on one VM that stays where it is reserves.
    /// </summary>
    public async Task<Result> HoldTargetVm(VmTrigger change)
    {
        var vm = await TargetVm();
        if (!vm.IsSuccess)
        {
            return Result.Fail(vm.Error);
        }

        if (vm.Value.Host is { } host)
        {
            SetHost(HostRoles.Host, host);
        }

        var begun = await Vm.BeginChange(TaskId, change);
        return begun.IsSuccess ? Result.Ok : Result.Fail(begun.Error);
    }

    /// <summary>Lets go of the VM this task held, if it got as far as naming one. Idempotent.</summary>
    public Task LetGoOfVm() => Resource(ResourceKinds.Vm) is null ? Task.CompletedTask : Vm.AbandonChange(TaskId);

    /// <summary>Holds quota for this task (and a unique name of <paramref name="kind"/>, when given) until the deadline plus a margin.</summary>
    public async Task<Result> HoldQuota(ResourceAmount amount, string kind, string? name)
    {
        var hold = await Tenant.PlaceHold(new HoldRequest(TaskId, amount, Options.Deadline + Options.HoldMargin, kind, name));
        if (!hold.IsSuccess)
        {
            return Result.Fail(hold.Error);
        }

        Log($"quota held: {amount.Vcpus} vcpu, {amount.RamMb} MB, {amount.DiskGb} GB, {amount.Vms} vm");
        return Result.Ok;
    }

    public Task ReleaseQuota() => Tenant.ReleaseHold(TaskId);

    /// <summary>
    /// Elects hosts for <paramref name="amount"/> and claims it on the first that accepts, re-electing
    /// without the refusers (bounded); the winner plays <paramref name="role"/>. Every host tried is
    /// recorded (and saved) before its claim, so <see cref="ReleaseClaims"/> can always find them.
    /// <paramref name="pool"/> names the storage pool the disk should go on (see <see cref="CapacityClaim.Pool"/>).
    /// </summary>
    public async Task<Result> ElectAndClaim(string role, ResourceAmount amount, IReadOnlyList<string> capabilities, string? area, IReadOnlyList<string>? excluded = null, string? pool = null)
    {
        var outcome = await Hosts.HostPlacement.ElectAndClaim(Grains.Ref<IPlacementGrain>(PlacementKeys.Global),
            new PlacementRequest(amount, capabilities, area, excluded, pool), placement.MaxElectionRounds,
            async host => (await Claim(role, host, amount, capabilities, pool)).IsSuccess);
        return outcome.Host is not null
            ? Result.Ok
            : Result.Fail(ErrorCodes.NoCapacity, outcome.Refusals == 0
                ? "No host passes the election (heartbeat, area, capability, free capacity)."
                : "Every elected host refused the capacity claim.");
    }

    /// <summary>
    /// Claims <paramref name="amount"/> on one named host for this task, its disk on <paramref name="pool"/>
    /// or the host's default pool; the pool granted is recorded for <see cref="PoolOf"/>.
    /// </summary>
    public async Task<Result> Claim(string role, string host, ResourceAmount amount, IReadOnlyList<string> capabilities, string? pool = null)
    {
        if (!state.ClaimedHosts.Contains(host, StringComparer.Ordinal))
        {
            state.ClaimedHosts.Add(host);
            await Save();
        }

        var claim = await HostGrain(host).TryClaim(new CapacityClaim(TaskId, amount, capabilities, pool));
        if (!claim.IsSuccess)
        {
            Log($"claim refused by {host}: {claim.Error.Message}");
            return Result.Fail(claim.Error);
        }

        SetHost(role, host);
        if (claim.Value.Pool is { } granted)
        {
            SetData($"{role}.pool", granted);
        }

        if (claim.Value.Area is { Length: > 0 } area)
        {
            SetData($"{role}.area", area);
        }

        Log($"capacity claimed on {host} ({role}){(claim.Value.Pool is { } on ? $", disk on storage pool {on}" : "")}");
        return Result.Ok;
    }

    /// <summary>The storage pool the claim of <paramref name="role"/> got; null when its host reports no pools.</summary>
    public string? PoolOf(string role) => Data($"{role}.pool");

    /// <summary>The area of the host that granted the claim of <paramref name="role"/>.</summary>
    public string? AreaOf(string role) => Data($"{role}.area");

    /// <summary>Every host this task tried to claim capacity on.</summary>
    public IReadOnlyList<string> ClaimedHosts => [.. state.ClaimedHosts.Distinct(StringComparer.Ordinal)];

    /// <summary>Releases this task's claim on every host it tried. Idempotent.</summary>
    public async Task ReleaseClaims()
    {
        foreach (var host in state.ClaimedHosts.Distinct(StringComparer.Ordinal))
        {
            await HostGrain(host).ReleaseClaim(TaskId);
        }
    }

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
