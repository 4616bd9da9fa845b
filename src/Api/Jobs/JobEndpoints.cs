using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Errors;
using OrleansCloud.Api.Tasks;
using OrleansCloud.Api.Tenants;
using OrleansCloud.Jobs;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;

namespace OrleansCloud.Api.Jobs;

/// <summary>
/// <c>/{scope}/jobs</c>: every task read as a job with its steps (the jobs are the tasks' own records, so
/// the two views never disagree), and external jobs that plug-ins and operators' scripts report: they
/// open steps, end them, end the job and clear it from the list.
/// </summary>
public static partial class JobEndpoints
{
    public const int MaxDescriptionLength = 500;
    public const string ExternalPrefix = "job-";

    public static RouteGroupBuilder MapJobEndpoints(this RouteGroupBuilder api)
    {
        foreach (var (scope, policy) in new[] { ("admin", Policies.Admin), ("tenant", Policies.Tenant) })
        {
            var group = api.MapGroup($"/{scope}/jobs").WithTags("Jobs").RequireAuthorization(policy)
                .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
            var name = char.ToUpperInvariant(scope[0]) + scope[1..];
            group.MapGet("/", ListJobs).WithName($"List{name}Jobs").WithSummary("A page of the tenant's jobs (tasks and external jobs), newest first; cleared jobs are left out.");
            group.MapGet("/{jobId}", GetJob).WithName($"Get{name}Job");
            group.MapGet("/{jobId}/steps", ListSteps).WithName($"List{name}JobSteps");
            group.MapGet("/{jobId}/steps/{stepId}", GetStep).WithName($"Get{name}JobStep");

            group.MapPost("/", (HttpContext http, IGrainFactory grains, CancellationToken ct) => CreateJob(scope, http, grains, ct))
                .WithName($"Create{name}Job").WithSummary("Report an external job; answers 201 with it. An Idempotency-Key makes a retry answer the same job.")
                .Accepts<CreateJobRequest>("application/json").ProducesProblem(StatusCodes.Status409Conflict).ReplaysIdempotentRequests();
            group.MapPost("/{jobId}/steps", (string jobId, HttpContext http, IGrainFactory grains, CancellationToken ct) => AddStep(scope, jobId, http, grains, ct))
                .WithName($"Add{name}JobStep").WithSummary("Open a step of an external job, optionally under an open parent step.")
                .Accepts<AddStepRequest>("application/json").ProducesProblem(StatusCodes.Status409Conflict).ReplaysIdempotentRequests();
            group.MapPost("/{jobId}/end", EndJob)
                .WithName($"End{name}Job").WithSummary("End an external job; open steps refuse it unless force, which aborts them.")
                .Accepts<EndJobRequest>("application/json").ProducesProblem(StatusCodes.Status409Conflict).ReplaysIdempotentRequests();
            group.MapPost("/{jobId}/steps/{stepId}/end", EndStep)
                .WithName($"End{name}JobStep").WithSummary("End a step of an external job; its child steps must have ended.")
                .Accepts<EndStepRequest>("application/json").ProducesProblem(StatusCodes.Status409Conflict).ReplaysIdempotentRequests();
            group.MapPost("/{jobId}/clear", ClearJob)
                .WithName($"Clear{name}Job").WithSummary("Take an ended job off the job list; it stays readable by id.")
                .ProducesProblem(StatusCodes.Status409Conflict).ReplaysIdempotentRequests();
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

        var page = await grains.Ref<ITenantIndexGrain>(tenant.Value).ListJobs(pageToken, size);
        var jobs = await Task.WhenAll(page.Items.Select(async id => IsExternal(id)
            ? ToDto(await grains.Ref<IJobGrain>(id).Get(tenant.Value))
            : ToDto(await grains.Ref<ITaskGrain>(id).Get(tenant.Value))));
        return TypedResults.Ok(new PageDto<JobDto>([.. jobs.OfType<JobDto>()], page.NextPageToken));
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

    public static async Task<Results<Created<JobDto>, ProblemHttpResult>> CreateJob(
        string scope, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var body = await JsonBody.Read<CreateJobRequest>(http, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error, http);
        }

        var request = body.Value;
        var errors = new Dictionary<string, string[]>();
        if (!IsDescription(request.Description))
        {
            errors["description"] = [TextRules.Rule(MaxDescriptionLength)];
        }

        if (request.ActionType is null || !ActionType().IsMatch(request.ActionType))
        {
            errors["actionType"] = ["is required: a letter, then letters, digits, '.', '_' or '-' (at most 64), e.g. backup.run"];
        }

        if (errors.Count > 0)
        {
            return Problems.From(Error.Validation(errors), http);
        }

        var tenant = caller.ResolveTenant(request.TenantId);
        if (!tenant.IsSuccess)
        {
            return Problems.From(tenant.Error, http);
        }

        var key = TaskEndpoints.ReadIdempotencyKey(http);
        if (!key.IsSuccess)
        {
            return Problems.From(key.Error, http);
        }

        var idempotencyKey = key.Value;

        if (!Names.IsValid(tenant.Value) || !(await grains.Ref<ITenantGrain>(tenant.Value).Get()).IsSuccess)
        {
            return Problems.Of(ErrorCodes.NotFound, $"Tenant '{tenant.Value}' was not found.", http);
        }

        var jobId = idempotencyKey.Length > 0 ? JobIdFor(tenant.Value, idempotencyKey) : ExternalPrefix + Guid.NewGuid().ToString("N");
        var started = await grains.Ref<IJobGrain>(jobId).Start(
            new JobStart(tenant.Value, request.Description!, request.ActionType!, caller.Username, request.AutoCleared ?? false));
        return started.IsSuccess
            ? TypedResults.Created($"/api/v1/{scope}/jobs/{jobId}", JobDto.From(started.Value))
            : Problems.From(started.Error, http);
    }

    public static async Task<Results<Created<StepDto>, ProblemHttpResult>> AddStep(
        string scope, string jobId, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var body = await JsonBody.Read<AddStepRequest>(http, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error, http);
        }

        var request = body.Value;
        var errors = new Dictionary<string, string[]>();
        var type = StepType.Executing;
        if (request.Type is not null && !TryParseStepType(request.Type, out type))
        {
            errors["type"] = ["must be VALIDATING, EXECUTING or FINALIZING"];
        }

        if (!IsDescription(request.Description))
        {
            errors["description"] = [TextRules.Rule(MaxDescriptionLength)];
        }

        if (request.ParentStepId is not null && !Names.IsValid(request.ParentStepId))
        {
            errors["parentStepId"] = ["must be a step id of this job"];
        }

        if (errors.Count > 0)
        {
            return Problems.From(Error.Validation(errors), http);
        }

        var job = await FindExternal(jobId, http, grains);
        if (!job.IsSuccess)
        {
            return Problems.From(job.Error, http);
        }

        var step = await grains.Ref<IJobGrain>(jobId).AddStep(tenantScope: null, new JobStepStart(type, request.Description!, request.ParentStepId));
        return step.IsSuccess
            ? TypedResults.Created($"/api/v1/{scope}/jobs/{jobId}/steps/{step.Value.StepId}", JobDto.StepOf(step.Value))
            : Problems.From(step.Error, http);
    }

    public static async Task<Results<Ok<JobDto>, ProblemHttpResult>> EndJob(string jobId, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var body = await JsonBody.Read<EndJobRequest>(http, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error, http);
        }

        if (!TryParseEndStatus(body.Value.Status, out var status))
        {
            return Problems.Validation("status", "is required: FINISHED, FAILED or ABORTED", http);
        }

        var job = await FindExternal(jobId, http, grains);
        if (!job.IsSuccess)
        {
            return Problems.From(job.Error, http);
        }

        var ended = await grains.Ref<IJobGrain>(jobId).End(tenantScope: null, status, body.Value.Force ?? false);
        return ended.IsSuccess ? TypedResults.Ok(JobDto.From(ended.Value)) : Problems.From(ended.Error, http);
    }

    public static async Task<Results<Ok<StepDto>, ProblemHttpResult>> EndStep(
        string jobId, string stepId, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var body = await JsonBody.Read<EndStepRequest>(http, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error, http);
        }

        if (body.Value.Succeeded is not { } succeeded)
        {
            return Problems.Validation("succeeded", "is required: true or false", http);
        }

        var job = await FindExternal(jobId, http, grains);
        if (!job.IsSuccess)
        {
            return Problems.From(job.Error, http);
        }

        if (!Names.IsValid(stepId))
        {
            return Problems.Of(ErrorCodes.NotFound, $"Step '{stepId}' of job '{jobId}' was not found.", http);
        }

        var ended = await grains.Ref<IJobGrain>(jobId).EndStep(tenantScope: null, stepId, succeeded);
        return ended.IsSuccess ? TypedResults.Ok(JobDto.StepOf(ended.Value)) : Problems.From(ended.Error, http);
    }

    /// <summary>Clears an ended job, a task's (once the task has ended) or an external one. Clearing twice is fine.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> ClearJob(string jobId, HttpContext http, IGrainFactory grains)
    {
        if (IsExternal(jobId))
        {
            var job = await FindExternal(jobId, http, grains);
            if (!job.IsSuccess)
            {
                return Problems.From(job.Error, http);
            }

            var cleared = await grains.Ref<IJobGrain>(jobId).Clear(tenantScope: null);
            return cleared.IsSuccess ? TypedResults.NoContent() : Problems.From(cleared.Error, http);
        }

        var task = await TaskAccess.FindVisible(jobId, Caller.From(http.User), grains, "Job");
        if (!task.IsSuccess)
        {
            return Problems.From(task.Error, http);
        }

        if (JobDto.StatusOf(task.Value.State) == "STARTED")
        {
            return Problems.Of(ErrorCodes.InvalidStateTransition, "A running job cannot be cleared; its task has not ended.", http);
        }

        await grains.Ref<ITaskGrain>(jobId).ClearFromJobList();
        return TypedResults.NoContent();
    }

    /// <summary>The same key in the same tenant always names the same job.</summary>
    public static string JobIdFor(string tenantId, string idempotencyKey) =>
        ExternalPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"job\n{tenantId}\n{idempotencyKey}")))[..32];

    private static bool IsExternal(string jobId) => jobId.StartsWith(ExternalPrefix, StringComparison.Ordinal);

    private static JobDto? ToDto(Result<JobView> job) => job.IsSuccess ? JobDto.From(job.Value) : null;

    private static JobDto? ToDto(Result<TaskView> task) => task.IsSuccess ? JobDto.From(task.Value) : null;

    private static async Task<Result<JobDto>> Find(string jobId, HttpContext http, IGrainFactory grains)
    {
        if (IsExternal(jobId))
        {
            var job = await FindExternal(jobId, http, grains);
            return job.IsSuccess ? JobDto.From(job.Value) : job.Error;
        }

        var task = await TaskAccess.FindVisible(jobId, Caller.From(http.User), grains, "Job");
        return task.IsSuccess ? JobDto.From(task.Value) : task.Error;
    }

    /// <summary>
    /// An external job the caller may see (an administrator any, a member its tenants'). A task's job the
    /// caller may see is refused as a state conflict: it follows its saga and is not steered from outside.
    /// </summary>
    private static async Task<Result<JobView>> FindExternal(string jobId, HttpContext http, IGrainFactory grains)
    {
        var caller = Caller.From(http.User);
        var notFound = Error.NotFound($"Job '{jobId}'");
        if (!IsExternal(jobId))
        {
            var task = await TaskAccess.FindVisible(jobId, caller, grains, "Job");
            return task.IsSuccess
                ? new Error(ErrorCodes.InvalidStateTransition, $"Job '{jobId}' is a task's; its steps and end follow the task's saga.")
                : task.Error;
        }

        if (!Names.IsValid(jobId))
        {
            return notFound;
        }

        var job = await grains.Ref<IJobGrain>(jobId).Get(tenantScope: null);
        return job.IsSuccess && (caller.IsAdmin || caller.Memberships.Any(m => m.TenantId == job.Value.TenantId)) ? job.Value : notFound;
    }

    private static bool IsDescription(string? text) => TextRules.IsDisplayText(text, MaxDescriptionLength);

    /// <summary>The wire spellings (as JobDto writes them) a client may send back.</summary>
    private static readonly Dictionary<string, StepType> StepTypes =
        Enum.GetValues<StepType>().ToDictionary(t => t.ToString().ToUpperInvariant(), StringComparer.Ordinal);

    private static readonly Dictionary<string, JobStatus> EndStatuses =
        Enum.GetValues<JobStatus>().Where(s => s != JobStatus.Started).ToDictionary(s => s.ToString().ToUpperInvariant(), StringComparer.Ordinal);

    private static bool TryParseStepType(string text, out StepType type) => StepTypes.TryGetValue(text, out type);

    private static bool TryParseEndStatus(string? text, out JobStatus status)
    {
        status = default;
        return text is not null && EndStatuses.TryGetValue(text, out status);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex ActionType();
}
