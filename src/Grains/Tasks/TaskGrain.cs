using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using OrleansCloud.Hosts;
using OrleansCloud.Tasks;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Tasks;

/// <summary>
/// One request's saga. Every transition is written before the next side effect, and every side
/// effect is idempotent under the task id, so replaying from the last durable state after a crash
/// (the watchdog reminder does) is always safe.
/// </summary>
// Sagas are many, short and independent: random placement spreads their work, and what a silo's
// crash interrupts, over every control-plane silo instead of the one behind the busiest gateway.
[Orleans.Placement.RandomPlacement]
public sealed partial class TaskGrain(
    [PersistentState("task")] IPersistentState<TaskGrainState> state,
    IOptions<TaskOptions> taskOptions,
    IOptions<Hosts.PlacementOptions> placementOptions,
    [FromKeyedServices(ControlPlaneClock.Key)] TimeProvider time,
    ILogger<TaskGrain> logger) : Grain, ITaskGrain, IRemindable
{
    private const string WatchdogName = "watchdog";
    private const string VmKind = "vm";

    private IGrainTimer? _kick;

    private TaskGrainState S => state.State;
    private TaskOptions Options => taskOptions.Value;
    private string TaskId => this.GetPrimaryKeyString();
    private TaskRequest Request => S.Request ?? throw new InvalidOperationException($"Task {TaskId} has no request.");

    public async Task<Result<TaskView>> Submit(TaskRequest request)
    {
        if (S.Request is not null)
        {
            if (S.Request.Fingerprint != request.Fingerprint || S.Request.TenantId != request.TenantId)
            {
                return Error.Conflict($"Task {TaskId} exists with a different request (reused idempotency key).");
            }

            if (S.State == TaskState.Pending)
            {
                // The first submission died half way; the watchdog's path settles it.
                await Resume();
            }

            return View();
        }

        var invalid = Validate(request);
        if (invalid is not null)
        {
            return invalid;
        }

        VmView? target = null;
        if (request.Action != TaskAction.VmCreate)
        {
            var found = await GrainFactory.GetGrain<IVmGrain>(request.Target!.RefId).Get(request.TenantId);
            if (!found.IsSuccess)
            {
                return found.Error;
            }

            target = found.Value;
        }

        try
        {
            return await Accept(request, target);
        }
        catch
        {
            // Memory may now be ahead of storage; the next activation reloads it and the watchdog settles.
            DeactivateOnIdle();
            throw;
        }
    }

    public Task<Result<TaskView>> Get(string? tenantScope) =>
        Task.FromResult(S.Request is not null && (tenantScope is null || tenantScope == S.Request.TenantId)
            ? Result<TaskView>.Ok(View())
            : Error.NotFound($"Task '{TaskId}'"));

    public async Task Resume()
    {
        if (S.Request is null)
        {
            await StopWatchdog();
            return;
        }

        try
        {
            while (!TaskSaga.IsFinal(S.State))
            {
                if (time.GetUtcNow() > S.Deadline && S.State != TaskState.Compensating)
                {
                    S.Error ??= new Error(ErrorCodes.DeadlineExceeded, $"The task did not finish by its deadline {S.Deadline:O}.");
                    await Transition(TaskTrigger.DeadlineExceeded, "deadline exceeded");
                    continue;
                }

                switch (S.State)
                {
                    case TaskState.Pending:
                        // Submit was interrupted before it answered: undo whatever it had reserved.
                        S.Error ??= new Error(ErrorCodes.Internal, "The submission was interrupted before it was accepted.");
                        await Transition(TaskTrigger.Fail, "interrupted before acceptance");
                        break;
                    case TaskState.Accepted:
                        await Dispatch();
                        break;
                    case TaskState.Running:
                        if (await RunAttempt() is { } retryAfter)
                        {
                            // Back off without holding the grain; the watchdog stays armed meanwhile.
                            Kick(retryAfter);
                            return;
                        }

                        break;
                    case TaskState.Compensating:
                        await Compensate();
                        break;
                }
            }

            await StopWatchdog();
        }
        catch (Exception ex)
        {
            LogResumeFailed(logger, ex, TaskId, S.State);
            DeactivateOnIdle();
            throw;
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Resume();

    private static Error? Validate(TaskRequest request)
    {
        switch (request.Action)
        {
            case TaskAction.VmCreate:
                if (request.Vm is null)
                {
                    return Error.Validation("data", "vm.create needs a VM spec");
                }

                var errors = VmLimits.Check(request.Vm);
                return errors.Count > 0 ? Error.Validation(errors) : null;
            case TaskAction.VmDelete or TaskAction.VmStart or TaskAction.VmStop:
                return request.Target is { Kind: VmKind, RefId.Length: > 0 }
                    ? null
                    : Error.Validation("target", $"{ActionName(request.Action)} needs a target of kind 'vm'");
            default:
                return Error.Validation("action", $"unknown action {request.Action}");
        }
    }

    private async Task<Result<TaskView>> Accept(TaskRequest request, VmView? target)
    {
        var now = time.GetUtcNow();
        S.Request = request;
        S.State = TaskState.Pending;
        S.CreatedAt = now;
        S.UpdatedAt = now;
        S.Deadline = now + Options.Deadline;
        S.VmId = request.Action == TaskAction.VmCreate ? VmIdFor(TaskId) : target!.VmId;
        S.Host = target?.Host;
        var validating = StartStep(StepType.Validating, $"validate and reserve for {ActionName(request.Action)}");
        await Save();
        await StartWatchdog();
        await Tenant.AddTask(TaskId);

        var reserved = request.Action switch
        {
            TaskAction.VmCreate => await ReserveForCreate(),
            TaskAction.VmDelete => await ReserveForDelete(),
            _ => await ReservePowerChange(),
        };
        if (!reserved.IsSuccess)
        {
            EndStep(validating, StepStatus.Failed);
            S.Error = reserved.Error;
            await Transition(TaskTrigger.Reject, reserved.Error!.Message);
            await StopWatchdog();
            return reserved.Error!;
        }

        EndStep(validating, StepStatus.Finished);
        await Transition(TaskTrigger.Reserve, S.Host is null ? "accepted" : $"accepted on host {S.Host}");

        // Continue after this call returns, in a turn of its own; the watchdog covers a crash meanwhile.
        Kick(TimeSpan.Zero);
        return View();
    }

    private async Task<Result> ReserveForCreate()
    {
        var spec = Request.Vm!;
        var amount = new ResourceAmount(spec.Cpu, spec.RamMb, spec.DiskGb, 1);
        var hold = await Tenant.PlaceHold(new HoldRequest(TaskId, amount, Options.Deadline + Options.HoldMargin, VmKind, spec.Name));
        if (!hold.IsSuccess)
        {
            return Result.Fail(hold.Error);
        }

        AddLog($"quota held: {spec.Cpu} vcpu, {spec.RamMb} MB, {spec.DiskGb} GB");
        string[] capabilities = [Capabilities.Vm, $"gen{spec.Generation}"];
        var candidates = await GrainFactory.GetGrain<IPlacementGrain>(PlacementKeys.Global)
            .Elect(new PlacementRequest(amount, capabilities, spec.Area));
        foreach (var candidate in candidates.Take(placementOptions.Value.MaxClaimAttempts))
        {
            S.ClaimedHosts.Add(candidate);
            await Save();
            var claim = await GrainFactory.GetGrain<IHostGrain>(candidate).TryClaim(new CapacityClaim(TaskId, amount, capabilities));
            if (claim.IsSuccess)
            {
                S.Host = candidate;
                AddLog($"capacity claimed on {candidate}");
                return Result.Ok;
            }

            AddLog($"claim refused by {candidate}: {claim.Error!.Message}");
        }

        await Tenant.ReleaseHold(TaskId);
        return Result.Fail(ErrorCodes.NoCapacity,
            candidates.Count == 0
                ? "No host passes the election (heartbeat, capability, free capacity)."
                : "Every elected host refused the capacity claim.");
    }

    private async Task<Result> ReserveForDelete()
    {
        var applied = await Vm.Apply(VmTrigger.Delete, new VmUpdate(TaskId));
        return applied.IsSuccess ? Result.Ok : Result.Fail(applied.Error);
    }

    /// <summary>vm.start and vm.stop change no quota or capacity: they only take the VM for the change.</summary>
    private async Task<Result> ReservePowerChange()
    {
        var begun = await Vm.BeginPowerChange(TaskId, PowerTrigger);
        return begun.IsSuccess ? Result.Ok : Result.Fail(begun.Error);
    }

    private bool IsPowerChange => Request.Action is TaskAction.VmStart or TaskAction.VmStop;

    private VmTrigger PowerTrigger => Request.Action == TaskAction.VmStart ? VmTrigger.Started : VmTrigger.Stopped;

    private async Task Dispatch()
    {
        if (Request.Action == TaskAction.VmCreate)
        {
            var created = await Vm.Initialize(Request.TenantId, Request.Vm!, TaskId);
            if (!created.IsSuccess)
            {
                S.Error = created.Error;
                await Transition(TaskTrigger.Fail, created.Error.Message);
                return;
            }

            var provisioning = await Vm.Apply(VmTrigger.Provision, new VmUpdate(TaskId, S.Host));
            if (!provisioning.IsSuccess)
            {
                S.Error = provisioning.Error;
                await Transition(TaskTrigger.Fail, provisioning.Error.Message);
                return;
            }
        }

        S.Dispatched = true;
        await Transition(TaskTrigger.Dispatch, $"dispatched to {S.Host ?? "no host"}");
    }

    /// <summary>One attempt of the host work. Answers how long to wait before the next attempt, or null to go on now.</summary>
    private async Task<TimeSpan?> RunAttempt()
    {
        S.Attempts++;
        var kind = Request.Action switch
        {
            TaskAction.VmCreate => HostOperationKind.CreateVm,
            TaskAction.VmStart => HostOperationKind.StartVm,
            TaskAction.VmStop => HostOperationKind.StopVm,
            _ => HostOperationKind.DeleteVm,
        };
        var step = StartStep(StepType.Executing, $"{kind} {S.VmId} on {S.Host ?? "no host"} (attempt {S.Attempts})");
        await Save();

        var result = S.Host is null
            ? HostOperationResult.Success(OperationId("main"), ["no host holds this VM: nothing to do on a hypervisor"])
            : await ExecuteOnHost(new HostOperation(OperationId("main"), kind, S.VmId!, Request.Vm));
        foreach (var line in result.Logs)
        {
            AddLog(line);
        }

        if (result.Succeeded)
        {
            EndStep(step, StepStatus.Finished);
            await Save();
            await Finalize(result);
            return null;
        }

        EndStep(step, StepStatus.Failed);
        AddLog($"attempt {S.Attempts} failed: {result.ErrorCode} {result.Message}");
        if (result.Retryable && S.Attempts < Options.MaxAttempts)
        {
            await Save();
            return Backoff(S.Attempts);
        }

        S.Error = new Error(result.ErrorCode ?? ErrorCodes.HostOperationFailed, result.Message ?? "The host operation failed.");
        if (Request.Action != TaskAction.VmDelete)
        {
            await Transition(TaskTrigger.Fail, "host work failed: rolling back");
        }
        else
        {
            await Vm.Apply(VmTrigger.DeleteFailed, new VmUpdate(TaskId));
            await Transition(TaskTrigger.Abort, "delete failed on the host; the VM is marked failed");
        }

        return null;
    }

    private void Kick(TimeSpan dueTime)
    {
        _kick?.Dispose();
        _kick = this.RegisterGrainTimer(
            async () =>
            {
                _kick?.Dispose();
                _kick = null;
                await Resume();
            },
            new GrainTimerCreationOptions(dueTime, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task Finalize(HostOperationResult result)
    {
        var step = StartStep(StepType.Finalizing, IsPowerChange
            ? "record the VM's power state"
            : "settle quota and capacity");
        await Save();
        if (Request.Action == TaskAction.VmCreate)
        {
            var committed = await Tenant.CommitHold(TaskId, S.VmId!);
            if (!committed.IsSuccess)
            {
                EndStep(step, StepStatus.Failed);
                S.Error = committed.Error;
                await Transition(TaskTrigger.Fail, $"quota could not be committed: {committed.Error!.Message}");
                return;
            }

            await Host(S.Host!).ConfirmClaim(TaskId, S.VmId!);
            await Vm.Apply(VmTrigger.ProvisionSucceeded, new VmUpdate(TaskId, S.Host, result.Addresses));
        }
        else if (IsPowerChange)
        {
            var applied = await Vm.Apply(PowerTrigger, new VmUpdate(TaskId));
            if (!applied.IsSuccess)
            {
                EndStep(step, StepStatus.Failed);
                S.Error = applied.Error;
                await Transition(TaskTrigger.Fail, $"the VM could not record the change: {applied.Error.Message}");
                return;
            }
        }
        else
        {
            await Vm.Apply(VmTrigger.DeleteSucceeded, new VmUpdate(TaskId));
            await Tenant.ReleaseUsage(S.VmId!);
            if (S.Host is not null)
            {
                await Host(S.Host).ReleaseAllocation(S.VmId!);
            }
        }

        EndStep(step, StepStatus.Finished);
        S.Result = new TaskOutcome(S.VmId, S.Host);
        await Transition(TaskTrigger.Complete, "succeeded");
    }

    private async Task Compensate()
    {
        var step = StartStep(StepType.Finalizing, "roll back");
        await Save();
        var undone = true;
        if (Request.Action == TaskAction.VmCreate)
        {
            if (S.Dispatched && S.Host is not null)
            {
                undone = await UndoOnHost();
            }

            var vm = await Vm.Get(null);
            if (vm.IsSuccess && vm.Value.State is VmState.Pending or VmState.Provisioning)
            {
                await Vm.Apply(VmTrigger.ProvisionFailed, new VmUpdate(TaskId));
            }

            // Settle whatever the task may hold; each call is idempotent.
            await Tenant.ReleaseUsage(S.VmId!);
            await Tenant.ReleaseHold(TaskId);
            foreach (var host in S.ClaimedHosts.Distinct(StringComparer.Ordinal))
            {
                await Host(host).ReleaseClaim(TaskId);
                await Host(host).ReleaseAllocation(S.VmId!);
            }
        }
        else if (IsPowerChange)
        {
            // Nothing was reserved but the VM itself: it keeps its observed state.
            await Vm.AbandonPowerChange(TaskId);
        }
        else
        {
            var vm = await Vm.Get(null);
            if (vm.IsSuccess && vm.Value.State == VmState.Deleting)
            {
                await Vm.Apply(VmTrigger.DeleteFailed, new VmUpdate(TaskId));
            }
        }

        EndStep(step, undone ? StepStatus.Finished : StepStatus.Failed);
        await Transition(
            undone ? TaskTrigger.Compensated : TaskTrigger.CompensationFailed,
            undone ? "rolled back" : "roll back could not remove the VM from its host; quota and capacity were released");
    }

    private async Task<bool> UndoOnHost()
    {
        var undo = new HostOperation(OperationId("undo"), HostOperationKind.DeleteVm, S.VmId!, Request.Vm);
        for (var attempt = 1; attempt <= Options.MaxAttempts; attempt++)
        {
            var result = await ExecuteOnHost(undo);
            foreach (var line in result.Logs)
            {
                AddLog(line);
            }

            if (result.Succeeded)
            {
                return true;
            }

            AddLog($"undo attempt {attempt} failed: {result.ErrorCode} {result.Message}");
            if (!result.Retryable)
            {
                break;
            }

            await Task.Delay(Backoff(attempt));
        }

        return false;
    }

    private async Task<HostOperationResult> ExecuteOnHost(HostOperation operation)
    {
        try
        {
            return await GrainFactory.GetGrain<IHostAgentGrain>(S.Host!).Execute(operation);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The agent is unreachable or timed out; the operation id makes a retry safe.
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.HostOperationFailed,
                $"host agent {S.Host} did not answer: {ex.Message}", retryable: true, [$"{ex.GetType().Name}: {ex.Message}"]);
        }
    }

    private async Task Transition(TaskTrigger trigger, string message)
    {
        var next = TaskSaga.Next(S.State, trigger);
        if (!next.IsSuccess)
        {
            throw new InvalidOperationException($"Task {TaskId}: {next.Error.Message}");
        }

        S.State = next.Value;
        if (TaskSaga.IsFinal(S.State))
        {
            S.CompletedAt = time.GetUtcNow();
        }

        AddLog($"{S.State}: {message}");
        await Save();
        if (TaskSaga.IsFinal(S.State))
        {
            LogTaskEnded(logger, TaskId, ActionName(Request.Action), Request.TenantId, S.State, S.Attempts, S.Host, message);
        }

        await PublishEvent(message);
    }

    private async Task Save()
    {
        S.UpdatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
    }

    private async Task PublishEvent(string message)
    {
        S.EventSequence++;
        var evt = new TenantEvent(
            $"{TaskId}:{S.EventSequence.ToString(CultureInfo.InvariantCulture)}",
            Request.TenantId,
            $"task.{S.State.ToString().ToLowerInvariant()}",
            TaskId,
            S.VmId,
            S.State.ToString(),
            message,
            time.GetUtcNow());
        try
        {
            var stream = this.GetStreamProvider(StreamNames.Provider)
                .GetStream<TenantEvent>(StreamId.Create(StreamNames.TenantEvents, Request.TenantId));
            await stream.OnNextAsync(evt);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Events are a view of the task, which is already durable; a lost event never loses work.
            LogEventNotPublished(logger, ex, TaskId);
        }
    }

    private string StartStep(StepType type, string description)
    {
        var id = $"{TaskId}-s{S.Steps.Count + 1}";
        S.Steps.Add(new StepView(id, S.Steps.Count + 1, type, StepStatus.Started, description, null, time.GetUtcNow(), null));
        return id;
    }

    private void EndStep(string stepId, StepStatus status)
    {
        var index = S.Steps.FindIndex(s => s.StepId == stepId);
        if (index >= 0)
        {
            S.Steps[index] = S.Steps[index] with { Status = status, EndTime = time.GetUtcNow() };
        }
    }

    private void AddLog(string line)
    {
        S.Logs.Add($"{time.GetUtcNow():O} {line}");
        if (S.Logs.Count > Options.MaxLogLines)
        {
            S.Logs.RemoveRange(0, S.Logs.Count - Options.MaxLogLines);
        }
    }

    private async Task StartWatchdog() =>
        await this.RegisterOrUpdateReminder(WatchdogName, Options.WatchdogPeriod, Options.WatchdogPeriod);

    private async Task StopWatchdog()
    {
        var reminder = await this.GetReminder(WatchdogName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private TimeSpan Backoff(int attempt) =>
        TimeSpan.FromTicks(Options.RetryBackoff.Ticks * (1L << Math.Min(attempt - 1, 10)));

    private string OperationId(string purpose) => $"{TaskId}/{purpose}";

    private TaskView View() => new(
        TaskId,
        Request.TenantId,
        Request.Action,
        S.State,
        S.Attempts,
        [.. S.Steps],
        S.Result,
        S.Error,
        [.. S.Logs],
        Request.RequestedBy,
        Request.Target,
        S.CreatedAt,
        S.UpdatedAt,
        S.CompletedAt,
        S.Deadline);

    private ITenantGrain Tenant => GrainFactory.GetGrain<ITenantGrain>(Request.TenantId);

    private IVmGrain Vm => GrainFactory.GetGrain<IVmGrain>(S.VmId!);

    private IHostGrain Host(string name) => GrainFactory.GetGrain<IHostGrain>(name);

    /// <summary>The VM id is derived from the task id, so every replay of a task addresses the same VM.</summary>
    public static string VmIdFor(string taskId) =>
        "vm-" + (taskId.StartsWith("tsk-", StringComparison.Ordinal) ? taskId[4..] : taskId);

    public static string ActionName(TaskAction action) => action switch
    {
        TaskAction.VmCreate => "vm.create",
        TaskAction.VmDelete => "vm.delete",
        TaskAction.VmStart => "vm.start",
        TaskAction.VmStop => "vm.stop",
        _ => action.ToString(),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} could not move on from {State}; the watchdog will retry")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception, string taskId, TaskState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} {Action} of tenant {TenantId} ended {State} after {Attempts} attempt(s) on {Host}: {Message}")]
    private static partial void LogTaskEnded(ILogger logger, string taskId, string action, string tenantId, TaskState state, int attempts, string? host, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId} could not publish an event")]
    private static partial void LogEventNotPublished(ILogger logger, Exception exception, string taskId);
}
