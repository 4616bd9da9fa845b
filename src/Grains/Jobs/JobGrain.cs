using OrleansCloud.Jobs;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;

namespace OrleansCloud.Grains.Jobs;

/// <summary>An external job: its record, and its place on the tenant's job list.</summary>
public sealed class JobGrain(
    [PersistentState("job")] IPersistentState<ExternalJobState> state,
    [FromKeyedServices(ControlPlaneClock.Key)] TimeProvider time) : Grain, IJobGrain
{
    private ExternalJobState S => state.State;

    private string JobId => this.GetPrimaryKeyString();

    private ITenantGrain Tenant => GrainFactory.GetGrain<ITenantGrain>(S.TenantId);

    public async Task<Result<JobView>> Start(JobStart start)
    {
        if (S.Exists && S.StartedBy(start))
        {
            // A retried start (same idempotency key): make sure it is listed, answer the same job.
            await Tenant.AddJob(JobId);
            return S.View(JobId);
        }

        var started = S.Start(start, time.GetUtcNow());
        if (!started.IsSuccess)
        {
            return started.Error!;
        }

        // Durable before it is listed: a listed id always has a record behind it.
        await state.WriteStateAsync();
        await Tenant.AddJob(JobId);
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
            await state.WriteStateAsync();
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
            await state.WriteStateAsync();
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

        await state.WriteStateAsync();
        if (S.Cleared)
        {
            await Tenant.ClearJob(JobId);
        }

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
        await Tenant.ClearJob(JobId);
        return S.View(JobId);
    }

    public Task<Result<JobView>> Get(string? tenantScope) =>
        Task.FromResult(Visible(tenantScope) ? Result<JobView>.Ok(S.View(JobId)) : NotFound());

    private bool Visible(string? tenantScope) => S.Exists && (tenantScope is null || tenantScope == S.TenantId);

    private Error NotFound() => Error.NotFound($"Job '{JobId}'");
}
