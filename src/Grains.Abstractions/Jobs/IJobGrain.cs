using OrleansCloud.Common;
using OrleansCloud.Tasks;

namespace OrleansCloud.Jobs;

/// <summary>
/// A job reported from outside the platform (a plug-in, an operator's script): it opens steps, ends them
/// and ends itself; the platform records it beside the jobs of its own tasks. Every method takes the
/// caller's tenant scope (null: an administrator); another tenant's job answers not found.
/// </summary>
[Alias("oc.IJobGrain")]
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>Records the job as started; a second start of the same id is <see cref="ErrorCodes.Conflict"/>.</summary>
    [Alias("Start")]
    Task<Result<JobView>> Start(JobStart start);

    /// <summary>Opens a step; the job and the parent step (when named) must still be open.</summary>
    [Alias("AddStep")]
    Task<Result<StepView>> AddStep(string? tenantScope, JobStepStart step);

    /// <summary>Ends a step; one with open child steps cannot end before them.</summary>
    [Alias("EndStep")]
    Task<Result<StepView>> EndStep(string? tenantScope, string stepId, bool succeeded);

    /// <summary>Ends the job; open steps refuse it unless <paramref name="force"/>, which aborts them.</summary>
    [Alias("End")]
    Task<Result<JobView>> End(string? tenantScope, JobStatus status, bool force);

    /// <summary>Takes an ended job off the tenant's job list; it stays readable by id.</summary>
    [Alias("Clear")]
    Task<Result<JobView>> Clear(string? tenantScope);

    [ReadOnly, Alias("Get")]
    Task<Result<JobView>> Get(string? tenantScope);
}
