using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCloud.Events;
using OrleansCloud.Grains.Actions;
using OrleansCloud.Hosts;
using OrleansCloud.Placement;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;

namespace OrleansCloud.Grains.Tasks;

/// <summary>
/// The saga engine. It knows no action: it persists, arms the watchdog, runs the action's host steps
/// with retries and backoff, records steps and events, and on failure undoes the steps that ran in
/// reverse order. What an action reserves, runs and settles is its definition's
/// (<see cref="ITaskActionDefinition"/>). Every transition is written before the next side effect,
/// and every side effect is idempotent under the task id, so replaying from the last durable state
/// after a crash (the watchdog, <see cref="ITaskWatchdogGrain"/>, wakes it) is always safe.
/// </summary>
// On the silo of the tenant it works for, beside the tenant, its index and its VM, which a saga calls
// many times: tenants spread sagas, and what a silo's crash interrupts, over the control-plane silos.
// Collected after two idle minutes rather than Orleans' default fifteen: a task that ended is rarely read
// again, and at hundreds of tasks a second the default kept ~400,000 finished sagas in memory, which every
// activation count (the dashboard's gauge, once a second) walked. A running saga stays active: its host
// calls keep it busy and its retry timers (at most MaxRetryBackoff apart) keep it alive; the watchdog wakes
// one that is collected anyway.
[TenantCallPlacement]
[CollectionAgeLimit(Minutes = 2)]
public sealed partial class TaskGrain(
    [PersistentState("task")] IPersistentState<TaskGrainState> state,
    TaskActionRegistry actions,
    IOptions<TaskOptions> taskOptions,
    IOptions<Hosts.PlacementOptions> placementOptions,
    [FromKeyedServices(ControlPlaneClock.Key)] TimeProvider time,
    ILogger<TaskGrain> logger) : Grain, ITaskGrain, IRemindable
{
    private const string WatchdogName = "watchdog";

    private IGrainTimer? _kick;

    /// <summary>Whether this activation was woken by a per-task reminder of an older version (removed when the task ends).</summary>
    private bool _legacyReminder;

    /// <summary>Whether this activation has made sure the task is on its tenant's lists (once, after a crash).</summary>
    private bool _listingChecked;

    private TaskGrainState S => state.State;
    private TaskOptions Options => taskOptions.Value;
    private string TaskId => this.GetPrimaryKeyString();
    private ITenantIndexGrain Index => GrainFactory.Ref<ITenantIndexGrain>(Request.TenantId);

    private string WatchdogBucket => TaskWatchdogKeys.For(TaskId, Options.WatchdogBuckets);

    private ITaskWatchdogGrain Watchdog => GrainFactory.Ref<ITaskWatchdogGrain>(WatchdogBucket);

    private TaskRequest Request => S.Request ?? throw new InvalidOperationException($"Task {TaskId} has no request.");

    private ITaskActionDefinition Definition =>
        actions.Find(Request.Action) is { IsSuccess: true } found
            ? found.Value
            : throw new InvalidOperationException($"Task {TaskId} carries the unknown action '{Request.Action}'.");

    public async Task<Result<TaskView>> Submit(TaskRequest request)
    {
        if (S.Request is not null)
        {
            if (S.Request.Fingerprint != request.Fingerprint || S.Request.TenantId != request.TenantId)
            {
                return Error.Conflict($"Task {TaskId} exists with a different request (reused idempotency key).");
            }

            if (S.Accepted)
            {
                return View();
            }

            if (S.State != TaskState.Pending)
            {
                // Refused at submission: the retry gets the same refusal, never a 202.
                return S.Error ?? Error.Conflict($"Task {TaskId} was refused.");
            }

            // The first submission died before it was accepted: give back what it took and start afresh.
            await Abandon();
        }

        var definition = actions.Find(request.Action);
        if (!definition.IsSuccess)
        {
            return definition.Error;
        }

        if (definition.Value.Validate(request) is { } invalid)
        {
            return invalid;
        }

        try
        {
            return await Accept(request, definition.Value);
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
            if (S.Accepted && !_listingChecked && S.IndexChunk is { } chunk)
            {
                // The watchdog's repair: listed before it was accepted, so this finds the entry; idempotent.
                await Index.Add(TaskId, IndexedKind.Task, chunk);
            }

            _listingChecked = true;
            while (!TaskSaga.IsFinal(S.State))
            {
                if (S.State == TaskState.Pending)
                {
                    // Submit was interrupted before it answered: nothing was promised, so nothing is kept.
                    await Abandon();
                    return;
                }

                if (time.GetUtcNow() > S.Deadline && S.State != TaskState.Compensating)
                {
                    S.Error ??= new Error(ErrorCodes.DeadlineExceeded, $"The task did not finish by its deadline {S.Deadline:O}.");
                    await Transition(TaskTrigger.DeadlineExceeded, "deadline exceeded");
                    continue;
                }

                switch (S.State)
                {
                    case TaskState.Accepted:
                        await Dispatch();
                        break;
                    case TaskState.Running when S.HostStep < Definition.Steps(Context()).Count:
                        if (await RunAttempt() is { } retryAfter)
                        {
                            // Back off without holding the grain; the watchdog stays armed meanwhile.
                            Kick(retryAfter);
                            return;
                        }

                        break;
                    case TaskState.Running:
                        await Finalize();
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

    public async Task ClearFromJobList()
    {
        if (S.Request is not null)
        {
            await Index.Clear(TaskId, S.IndexChunk);
        }
    }

    public async Task Wake(string watchdog)
    {
        await Resume();
        if (watchdog != WatchdogBucket && (S.Request is null || TaskSaga.IsFinal(S.State)))
        {
            // Listed by a bucket of another bucket count (the setting changed): that list lets go too.
            await GrainFactory.Ref<ITaskWatchdogGrain>(watchdog).Untrack(TaskId);
        }
    }

    /// <summary>Tasks accepted by an older version have a reminder of their own: it still wakes them, and goes when they end.</summary>
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _legacyReminder = true;
        return Resume();
    }

    private async Task<Result<TaskView>> Accept(TaskRequest request, ITaskActionDefinition definition)
    {
        var now = time.GetUtcNow();

        // Where the listing below starts looking, saved before it: a retry after a crash finds its entry.
        var indexFrom = S.IndexChunk ?? await GrainFactory.Ref<ITenantIndexGrain>(request.TenantId).Tail();
        state.State = new TaskGrainState
        {
            Request = request,
            State = TaskState.Pending,
            CreatedAt = now,
            UpdatedAt = now,
            Deadline = now + Options.Deadline,
            EventSequence = S.EventSequence,
            IndexChunk = indexFrom,
        };
        var validating = StartStep(StepType.Validating, $"validate and reserve for {request.Action}");
        await Save();
        await StartWatchdog();

        var saga = Context();
        var reserved = await definition.Reserve(saga);
        if (!reserved.IsSuccess)
        {
            await definition.Unreserve(saga);
            EndStep(validating, StepStatus.Failed);
            S.Error = reserved.Error;
            await Transition(TaskTrigger.Reject, reserved.Error!.Message);
            await StopWatchdog();
            return reserved.Error!;
        }

        // Listed before it is accepted: a task that answered 202 is always in its tenant's lists. A crash
        // in between leaves a Pending task whose abandonment withdraws the entry again.
        S.IndexChunk = await Index.Add(TaskId, IndexedKind.Task, indexFrom);
        _listingChecked = true;
        EndStep(validating, StepStatus.Finished);
        S.Accepted = true;
        await Transition(TaskTrigger.Reserve, DescribeHosts() is { Length: > 0 } hosts ? $"accepted on {hosts}" : "accepted");

        // Continue after this call returns, in a turn of its own; the watchdog covers a crash meanwhile.
        Kick(TimeSpan.Zero);
        return View();
    }

    /// <summary>An interrupted submission: give back its reservations and forget it, so its retry starts afresh.</summary>
    private async Task Abandon()
    {
        LogAbandoned(logger, TaskId, Request.Action);
        if (actions.Find(Request.Action) is { IsSuccess: true } definition)
        {
            await definition.Value.Unreserve(Context());
        }

        var indexChunk = S.IndexChunk;
        if (indexChunk is { } from)
        {
            await Index.Withdraw(TaskId, from);
        }

        await StopWatchdog();
        await state.ClearStateAsync();

        // A retry in this activation finds (and shows again) the withdrawn entry instead of adding another.
        state.State = new TaskGrainState { IndexChunk = indexChunk };
    }

    private async Task Dispatch()
    {
        var prepared = await Definition.Prepare(Context());
        if (!prepared.IsSuccess)
        {
            S.Error = prepared.Error;
            await Transition(TaskTrigger.Fail, prepared.Error!.Message);
            return;
        }

        // The first host step (or Finalize) saves before its side effect, with nothing in between; a crash
        // before that replays Prepare, idempotent under the task id.
        await Transition(TaskTrigger.Dispatch, DescribeHosts() is { Length: > 0 } hosts ? $"dispatched to {hosts}" : "dispatched", save: false);
    }

    /// <summary>One attempt of the current host step. Answers how long to wait before the next attempt, or null to go on now.</summary>
    private async Task<TimeSpan?> RunAttempt()
    {
        var step = Definition.Steps(Context())[S.HostStep];
        var host = S.Hosts.GetValueOrDefault(step.HostRole);
        var operation = step.Operation(OperationId(step.Name));
        S.Attempts++;
        S.TotalAttempts++;
        if (S.Attempts == 1)
        {
            S.Data[StepSinceKey(step.Name)] = time.GetUtcNow().UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var stepId = StartStep(StepType.Executing, $"{step.Name}: {operation.Name} {operation.Subject} on {host ?? "no host"} (attempt {S.Attempts})");
        await Save();

        var result = host is null
            ? HostOperationResult.Success(operation.OperationId, [$"no {step.HostRole} holds {operation.Subject}: nothing to do on a hypervisor"])
            : await ExecuteOnHost(host, operation);
        foreach (var line in result.Logs)
        {
            AddLog(line);
        }

        if (result.Succeeded)
        {
            EndStep(stepId, StepStatus.Finished);
            S.Data[$"{step.Name}.addresses"] = string.Join(',', result.Addresses);
            foreach (var (fact, value) in result.Facts ?? new Dictionary<string, string>())
            {
                S.Data[$"{step.Name}.{fact}"] = value;
            }

            S.HostStep++;
            S.Attempts = 0;

            // Not saved here: the next step (the next attempt or Finalize) saves before its own side
            // effect, with nothing in between. A crash meanwhile replays this step, idempotent under its operation id.
            return null;
        }

        EndStep(stepId, StepStatus.Failed);
        AddLog($"{step.Name} attempt {S.Attempts} failed: {result.ErrorCode} {result.Message}");
        if (result.Retryable && (S.Attempts < Options.MaxAttempts || step.RollForward || WithinRetryWindow(step.Name)))
        {
            await Save();
            return Backoff(S.Attempts);
        }

        S.Error = new Error(result.ErrorCode ?? ErrorCodes.HostOperationFailed, result.Message ?? "The host operation failed.");
        await Transition(TaskTrigger.Fail, $"{step.Name} failed on the host: rolling back");
        return null;
    }

    private static string StepSinceKey(string step) => $"{step}.since";

    /// <summary>Whether the step's first attempt is recent enough that a retryable failure is still retried.</summary>
    private bool WithinRetryWindow(string step) =>
        S.Data.TryGetValue(StepSinceKey(step), out var since)
        && long.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
        && time.GetUtcNow() - new DateTimeOffset(ticks, TimeSpan.Zero) < Options.RetryWindow;

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

    private async Task Finalize()
    {
        var step = StartStep(StepType.Finalizing, "settle and record the outcome");
        await Save();
        var finalized = await Definition.Finalize(Context());
        if (!finalized.IsSuccess)
        {
            EndStep(step, StepStatus.Failed);
            S.Error = finalized.Error;
            await Transition(TaskTrigger.Fail, $"could not settle: {finalized.Error!.Message}");
            return;
        }

        EndStep(step, StepStatus.Finished);
        S.Result = new TaskOutcome(
            new Dictionary<string, string>(S.Resources, StringComparer.Ordinal),
            new Dictionary<string, string>(S.Hosts, StringComparer.Ordinal));
        await Transition(TaskTrigger.Complete, "succeeded");
    }

    /// <summary>Undoes the host steps that ran, newest first, then the definition's reservations.</summary>
    private async Task Compensate()
    {
        var stepId = StartStep(StepType.Finalizing, "roll back");
        var definition = Definition;
        var steps = definition.Steps(Context());
        if (S.UndoBelow < 0)
        {
            var failedMidway = S.HostStep < steps.Count && S.Attempts > 0 && steps[S.HostStep].UndoAfterFailure;
            S.UndoBelow = Math.Min(S.HostStep + (failedMidway ? 1 : 0), steps.Count);
        }

        await Save();
        var hostsUndone = true;
        while (S.UndoBelow > 0)
        {
            var step = steps[S.UndoBelow - 1];
            var host = S.Hosts.GetValueOrDefault(step.HostRole);
            if (step.Undo is not null && host is not null && !await UndoOnHost(host, step.Undo(OperationId(step.Name + ".undo"))))
            {
                hostsUndone = false;
            }

            S.UndoBelow--;
            await Save();
        }

        var rolledBack = await definition.Compensate(Context());
        var undone = hostsUndone && rolledBack;
        EndStep(stepId, undone ? StepStatus.Finished : StepStatus.Failed);
        await Transition(
            undone ? TaskTrigger.Compensated : TaskTrigger.CompensationFailed,
            undone ? "rolled back"
                : hostsUndone ? "the resource could not be restored; it is marked failed"
                : "some host work could not be undone; quota and capacity were released");
    }

    private async Task<bool> UndoOnHost(string host, HostOperation undo)
    {
        var since = time.GetUtcNow();
        for (var attempt = 1; attempt <= Options.MaxAttempts || time.GetUtcNow() - since < Options.RetryWindow; attempt++)
        {
            var result = await ExecuteOnHost(host, undo);
            foreach (var line in result.Logs)
            {
                AddLog(line);
            }

            if (result.Succeeded)
            {
                return true;
            }

            AddLog($"undo {undo.Name} attempt {attempt} failed: {result.ErrorCode} {result.Message}");
            if (!result.Retryable)
            {
                break;
            }

            await Task.Delay(Backoff(attempt));
        }

        return false;
    }

    private async Task<HostOperationResult> ExecuteOnHost(string host, HostOperation operation)
    {
        try
        {
            return await GrainFactory.Ref<IHostAgentGrain>(host).Execute(operation);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The agent is unreachable or timed out; the operation id makes a retry safe.
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.HostOperationFailed,
                $"host agent {host} did not answer: {ex.Message}", retryable: true, [$"{ex.GetType().Name}: {ex.Message}"]);
        }
    }

    private SagaContext Context() =>
        new(TaskId, S, GrainFactory, Options, placementOptions.Value, time.GetUtcNow(), Save, AddLog);

    private async Task Transition(TaskTrigger trigger, string message, bool save = true)
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

        AddLog($"{TaskStatuses.Wire(S.State)}: {message}");
        if (save || TaskSaga.IsFinal(S.State))
        {
            await Save();
        }
        if (TaskSaga.IsFinal(S.State))
        {
            LogTaskEnded(logger, TaskId, Request.Action, Request.TenantId, S.State, S.TotalAttempts, DescribeHosts(), message);
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
        var status = TaskStatuses.Wire(S.State);
        var evt = new TenantEvent(
            $"{TaskId}:{S.EventSequence.ToString(CultureInfo.InvariantCulture)}",
            Request.TenantId,
            $"task.{status}",
            TaskId,
            S.Resources.Values.FirstOrDefault(),
            status,
            message,
            time.GetUtcNow());
        try
        {
            await GrainFactory.Ref<ITenantEventLogGrain>(Request.TenantId).Append(evt);
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

    private string DescribeHosts() =>
        string.Join(", ", S.Hosts.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => h.Key == HostRoles.Host ? $"host {h.Value}" : $"{h.Key} {h.Value}"));

    private Task StartWatchdog() => Watchdog.Track(TaskId);

    private async Task StopWatchdog()
    {
        await Watchdog.Untrack(TaskId);
        if (_legacyReminder && await this.GetReminder(WatchdogName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
            _legacyReminder = false;
        }
    }

    private TimeSpan Backoff(int attempt) =>
        TimeSpan.FromTicks(Math.Min(Options.RetryBackoff.Ticks * (1L << Math.Min(attempt - 1, 10)), Math.Max(Options.MaxRetryBackoff.Ticks, Options.RetryBackoff.Ticks)));

    private string OperationId(string purpose) => $"{TaskId}/{purpose}";

    private TaskView View() => new(
        TaskId,
        Request.TenantId,
        Request.Action,
        S.State,
        S.TotalAttempts,
        [.. S.Steps],
        S.Result,
        S.Error,
        [.. S.Logs],
        Request.RequestedBy,
        Request.Target,
        S.CreatedAt,
        S.UpdatedAt,
        S.CompletedAt,
        S.Deadline,
        new Dictionary<string, string>(S.Resources, StringComparer.Ordinal),
        new Dictionary<string, string>(S.Hosts, StringComparer.Ordinal));

    /// <summary>The id of a resource a task creates is derived from the task id, so every replay addresses the same resource.</summary>
    public static string ResourceIdFor(string prefix, string taskId) =>
        prefix + "-" + (taskId.StartsWith("tsk-", StringComparison.Ordinal) ? taskId[4..] : taskId);

    /// <summary>The VM a vm.create task makes.</summary>
    public static string VmIdFor(string taskId) => ResourceIdFor("vm", taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} could not move on from {State}; the watchdog will retry")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception, string taskId, TaskState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} {Action} of tenant {TenantId} ended {State} after {Attempts} attempt(s) on {Hosts}: {Message}")]
    private static partial void LogTaskEnded(ILogger logger, string taskId, string action, string tenantId, TaskState state, int attempts, string hosts, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} ({Action}) was interrupted before it was accepted: its reservations are released and the task forgotten")]
    private static partial void LogAbandoned(ILogger logger, string taskId, string action);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId} could not publish an event")]
    private static partial void LogEventNotPublished(ILogger logger, Exception exception, string taskId);
}
