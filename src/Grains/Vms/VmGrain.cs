using OrleansCloud.Vms;
using OrleansCloud.Placement;

namespace OrleansCloud.Grains.Vms;

// Made by the vm.create task that calls it most: on its tenant's silo, beside that task.
[TenantCallPlacement]
public sealed class VmGrain(
    [PersistentState("vm")] IPersistentState<VmGrainState> state,
    [FromKeyedServices(ControlPlaneClock.Key)] TimeProvider time) : Grain, IVmGrain
{
    private VmGrainState S => state.State;

    public async Task<Result<VmView>> Initialize(string tenantId, VmSpec spec, string taskId)
    {
        if (S.Exists)
        {
            return S.LastTaskId == taskId && S.TenantId == tenantId
                ? View()
                : Error.Conflict($"VM '{this.GetPrimaryKeyString()}' already exists.");
        }

        Create(tenantId, spec, taskId);
        await state.WriteStateAsync();
        return View();
    }

    public async Task<Result<VmView>> CreateProvisioning(string tenantId, VmSpec spec, string taskId, string? host)
    {
        if (!S.Exists)
        {
            // Not written on its own: the provisioning below writes the record and its first transition at once.
            Create(tenantId, spec, taskId);
        }
        else if (S.LastTaskId != taskId || S.TenantId != tenantId)
        {
            return Error.Conflict($"VM '{this.GetPrimaryKeyString()}' already exists.");
        }

        var provisioning = await Apply(VmTrigger.Provision, new VmUpdate(taskId, host));
        if (!provisioning.IsSuccess)
        {
            // Memory may hold a record that was never written: reload it on the next call.
            DeactivateOnIdle();
        }

        return provisioning;
    }

    private void Create(string tenantId, VmSpec spec, string taskId)
    {
        var now = time.GetUtcNow();
        S.Exists = true;
        S.TenantId = tenantId;
        S.Spec = spec;
        S.State = VmState.Pending;
        S.Desired = VmState.Running;
        S.LastTaskId = taskId;
        S.CreatedAt = now;
        S.UpdatedAt = now;
        S.Version = 1;
    }

    public async Task<Result<VmView>> Apply(VmTrigger trigger, VmUpdate update)
    {
        if (!S.Exists)
        {
            return Error.NotFound($"VM '{this.GetPrimaryKeyString()}'");
        }

        if (S.WasApplied(update.TaskId, trigger))
        {
            return View();
        }

        var next = VmLifecycle.Next(S.State, trigger);
        if (!next.IsSuccess)
        {
            return next.Error;
        }

        if (S.BusyTaskId is { } busy && busy != update.TaskId)
        {
            return Error.Conflict($"VM '{this.GetPrimaryKeyString()}' is busy with task {busy}; retry when it has ended.");
        }

        S.State = next.Value;
        if (trigger == VmTrigger.Delete)
        {
            S.Desired = VmState.Deleted;
        }

        if (S.BusyTaskId == update.TaskId && S.PendingChange == trigger)
        {
            S.BusyTaskId = null;
            S.PendingChange = null;
        }

        S.Host = update.Host ?? S.Host;
        S.Spec = update.Spec ?? S.Spec;
        if (update.Addresses is not null)
        {
            S.Addresses = [.. update.Addresses];
        }

        S.RecordApplied(update.TaskId, trigger);
        S.LastTaskId = update.TaskId;
        S.UpdatedAt = time.GetUtcNow();
        S.Version++;
        await state.WriteStateAsync();
        return View();
    }

    public async Task<Result<VmView>> BeginChange(string taskId, VmTrigger change)
    {
        if (!S.Exists)
        {
            return Error.NotFound($"VM '{this.GetPrimaryKeyString()}'");
        }

        if (!VmLifecycle.Changes.Contains(change))
        {
            return Error.Validation("change", $"a change is one of {string.Join(", ", VmLifecycle.Changes.Order())}");
        }

        if (S.BusyTaskId == taskId)
        {
            return View();
        }

        if (S.BusyTaskId is { } busy)
        {
            return Error.Conflict($"VM '{this.GetPrimaryKeyString()}' is busy with task {busy}; retry when it has ended.");
        }

        var next = VmLifecycle.Next(S.State, change);
        if (!next.IsSuccess)
        {
            return next.Error;
        }

        S.BusyTaskId = taskId;
        S.PendingChange = change;
        S.Desired = change == VmTrigger.Delete ? VmState.Deleted : next.Value;
        S.UpdatedAt = time.GetUtcNow();
        S.Version++;
        await state.WriteStateAsync();
        return View();
    }

    public async Task AbandonChange(string taskId)
    {
        if (S.BusyTaskId != taskId)
        {
            return;
        }

        S.BusyTaskId = null;
        S.PendingChange = null;
        S.Desired = S.State;
        S.UpdatedAt = time.GetUtcNow();
        S.Version++;
        await state.WriteStateAsync();
    }

    public Task<Result<VmView>> Get(string? tenantScope) =>
        Task.FromResult(S.Exists && (tenantScope is null || tenantScope == S.TenantId)
            ? Result<VmView>.Ok(View())
            : Error.NotFound($"VM '{this.GetPrimaryKeyString()}'"));

    private VmView View() => new(
        this.GetPrimaryKeyString(), S.TenantId, S.Spec!, S.State, S.Host, S.Addresses, S.LastTaskId, S.CreatedAt, S.UpdatedAt, S.Version);
}
