using System.Globalization;
using Microsoft.Extensions.Logging;
using OrleansCloud.Events;
using OrleansCloud.Jobs;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;

namespace OrleansCloud.Grains.Jobs;

/// <summary>An external job: its record, its place on the tenant's job list, and its events on the tenant's stream.</summary>
public sealed partial class JobGrain(
    [PersistentState("job")] IPersistentState<ExternalJobState> state,
    [FromKeyedServices(ControlPlaneClock.Key)] TimeProvider time,
    ILogger<JobGrain> logger) : Grain, IJobGrain
{
    private ExternalJobState S => state.State;

    private string JobId => this.GetPrimaryKeyString();

    private ITenantIndexGrain Index => GrainFactory.Ref<ITenantIndexGrain>(S.TenantId);

    public async Task<Result<JobView>> Start(JobStart start)
    {
        if (S.Exists && S.StartedBy(start))
        {
            // A retried start (same idempotency key): make sure it is listed, answer the same job.
            S.IndexChunk = await Index.Add(JobId, IndexedKind.ExternalJob, S.IndexChunk ?? 0);
            return S.View(JobId);
        }

        var started = S.Start(start, time.GetUtcNow());
        if (!started.IsSuccess)
        {
            return started.Error!;
        }

        // Durable before it is listed, with where the listing starts looking: a listed id always has a
        // record behind it, and a retried start finds its entry instead of listing the job twice.
        S.IndexChunk = await GrainFactory.Ref<ITenantIndexGrain>(start.TenantId).Tail();
        var evt = NextEvent("job.started", S.Description);
        await state.WriteStateAsync();
        S.IndexChunk = await Index.Add(JobId, IndexedKind.ExternalJob, S.IndexChunk.Value);
        await Publish(evt);
        return S.View(JobId);
    }

    public async Task<Result<StepView>> AddStep(string? tenantScope, JobStepStart step)
    {
        if (!Visible(tenantScope))
        {
            return NotFound();
        }

        var added = S.AddStep(JobId, step, time.GetUtcNow());
        if (added.IsSuccess)
        {
            var evt = NextEvent("job.step.started", $"{added.Value.StepId}: {added.Value.Description}");
            await state.WriteStateAsync();
            await Publish(evt);
        }

        return added;
    }

    public async Task<Result<StepView>> EndStep(string? tenantScope, string stepId, bool succeeded)
    {
        if (!Visible(tenantScope))
        {
            return NotFound();
        }

        var ended = S.EndStep(stepId, succeeded, time.GetUtcNow());
        if (ended.IsSuccess)
        {
            var evt = NextEvent(succeeded ? "job.step.finished" : "job.step.failed", $"{ended.Value.StepId}: {ended.Value.Description}");
            await state.WriteStateAsync();
            await Publish(evt);
        }

        return ended;
    }

    public async Task<Result<JobView>> End(string? tenantScope, JobStatus status, bool force)
    {
        if (!Visible(tenantScope))
        {
            return NotFound();
        }

        var ended = S.End(status, force, time.GetUtcNow());
        if (!ended.IsSuccess)
        {
            return ended.Error!;
        }

        var evt = NextEvent($"job.{S.Status.ToString().ToLowerInvariant()}", S.Description);
        await state.WriteStateAsync();
        if (S.Cleared)
        {
            await Index.Clear(JobId, S.IndexChunk);
        }

        await Publish(evt);
        return S.View(JobId);
    }

    public async Task<Result<JobView>> Clear(string? tenantScope)
    {
        if (!Visible(tenantScope))
        {
            return NotFound();
        }

        var cleared = S.Clear(time.GetUtcNow());
        if (!cleared.IsSuccess)
        {
            return cleared.Error!;
        }

        await state.WriteStateAsync();
        await Index.Clear(JobId, S.IndexChunk);
        return S.View(JobId);
    }

    public Task<Result<JobView>> Get(string? tenantScope) =>
        Task.FromResult(Visible(tenantScope) ? Result<JobView>.Ok(S.View(JobId)) : NotFound());

    private TenantEvent NextEvent(string type, string message)
    {
        S.EventSequence++;
        return new TenantEvent(
            $"{JobId}:{S.EventSequence.ToString(CultureInfo.InvariantCulture)}", S.TenantId, type, TaskId: null, ResourceId: JobId,
            S.Status.ToString().ToUpperInvariant(), message, time.GetUtcNow());
    }

    private async Task Publish(TenantEvent evt)
    {
        try
        {
            await GrainFactory.Ref<ITenantEventLogGrain>(S.TenantId).Append(evt);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The job's record is already durable; an event is only a view of it.
            LogEventNotPublished(logger, ex, JobId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} could not publish an event")]
    private static partial void LogEventNotPublished(ILogger logger, Exception exception, string jobId);

    private bool Visible(string? tenantScope) => S.Exists && (tenantScope is null || tenantScope == S.TenantId);

    private Error NotFound() => Error.NotFound($"Job '{JobId}'");
}
