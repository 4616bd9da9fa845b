using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Errors;
using OrleansCloud.Api.Tasks;
using OrleansCloud.Api.Tenants;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;

namespace OrleansCloud.Api.Jobs;

/// <summary>
/// <c>/{scope}/jobs</c>: every task read as a job with its steps. The jobs are the tasks' own records,
/// so the two views never disagree.
/// </summary>
public static class JobEndpoints
{
    public static RouteGroupBuilder MapJobEndpoints(this RouteGroupBuilder api)
    {
        foreach (var (scope, policy) in new[] { ("admin", Policies.Admin), ("tenant", Policies.Tenant) })
        {
            var group = api.MapGroup($"/{scope}/jobs").WithTags("Jobs").RequireAuthorization(policy)
                .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
            var name = char.ToUpperInvariant(scope[0]) + scope[1..];
            group.MapGet("/", ListJobs).WithName($"List{name}Jobs").WithSummary("A page of the tenant's jobs, newest first.");
            group.MapGet("/{jobId}", GetJob).WithName($"Get{name}Job");
            group.MapGet("/{jobId}/steps", ListSteps).WithName($"List{name}JobSteps");
            group.MapGet("/{jobId}/steps/{stepId}", GetStep).WithName($"Get{name}JobStep");
        }

        return api;
    }

    public static async Task<Results<Ok<PageDto<JobDto>>, ProblemHttpResult>> ListJobs(
        string? tenantId, string? pageToken, int? pageSize, HttpContext http, IGrainFactory grains)
    {
        var caller = Caller.From(http.User);
        var tenant = caller.ResolveTenant(tenantId);
        if (!tenant.IsSuccess)
        {
            return Problems.From(tenant.Error, http);
        }

        var size = pageSize ?? TaskEndpoints.DefaultPageSize;
        if (size is < 1 or > TaskEndpoints.MaxPageSize)
        {
            return Problems.Validation("pageSize", $"must be between 1 and {TaskEndpoints.MaxPageSize}", http);
        }

        if (pageToken is { Length: > 0 } && !Names.IsValid(pageToken))
        {
            return Problems.Validation("pageToken", "is not a token this API gave out", http);
        }

        var page = await grains.GetGrain<ITenantGrain>(tenant.Value).ListTasks(pageToken, size);
        var views = await Task.WhenAll(page.Items.Select(id => grains.GetGrain<ITaskGrain>(id).Get(tenant.Value)));
        return TypedResults.Ok(new PageDto<JobDto>([.. views.Where(v => v.IsSuccess).Select(v => JobDto.From(v.Value!))], page.NextPageToken));
    }

    public static async Task<Results<Ok<JobDto>, ProblemHttpResult>> GetJob(string jobId, HttpContext http, IGrainFactory grains)
    {
        var job = await Find(jobId, http, grains);
        return job.IsSuccess ? TypedResults.Ok(job.Value) : Problems.From(job.Error, http);
    }

    public static async Task<Results<Ok<ItemsDto<StepDto>>, ProblemHttpResult>> ListSteps(string jobId, HttpContext http, IGrainFactory grains)
    {
        var job = await Find(jobId, http, grains);
        return job.IsSuccess ? TypedResults.Ok(new ItemsDto<StepDto>(job.Value.Steps)) : Problems.From(job.Error, http);
    }

    public static async Task<Results<Ok<StepDto>, ProblemHttpResult>> GetStep(string jobId, string stepId, HttpContext http, IGrainFactory grains)
    {
        var job = await Find(jobId, http, grains);
        if (!job.IsSuccess)
        {
            return Problems.From(job.Error, http);
        }

        var step = job.Value.Steps.FirstOrDefault(s => s.StepId == stepId);
        return step is null ? Problems.Of(ErrorCodes.NotFound, $"Step '{stepId}' of job '{jobId}' was not found.", http) : TypedResults.Ok(step);
    }

    private static async Task<Result<JobDto>> Find(string jobId, HttpContext http, IGrainFactory grains)
    {
        var task = await TaskAccess.FindVisible(jobId, Caller.From(http.User), grains, "Job");
        return task.IsSuccess ? JobDto.From(task.Value) : task.Error;
    }
}
