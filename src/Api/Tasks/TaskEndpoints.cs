using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrleansCloud.Api.Actions;
using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Errors;
using OrleansCloud.Api.Images;
using OrleansCloud.Api.Tenants;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;

namespace OrleansCloud.Api.Tasks;

/// <summary><c>/{scope}/tasks</c>: every change is a task (api.md), submitted here and read back here.</summary>
public static class TaskEndpoints
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const string IdempotencyHeader = "Idempotency-Key";

    public static RouteGroupBuilder MapTaskEndpoints(this RouteGroupBuilder api)
    {
        foreach (var (scope, policy) in new[] { ("admin", Policies.Admin), ("tenant", Policies.Tenant) })
        {
            var group = api.MapGroup($"/{scope}/tasks").WithTags("Tasks").RequireAuthorization(policy);
            group.MapPost("/", (HttpContext http, IGrainFactory grains, CancellationToken ct) => SubmitTask(scope, http, grains, ct))
                .WithName($"Submit{Capitalized(scope)}Task")
                .WithSummary("Submit a task: any action of the registry (vm.create, vm.delete, vm.start, vm.stop, vm.reboot, vm.edit, vm.migrate). Answers 202 with the task's URL.")
                .Accepts<TaskEnvelope>("application/json")
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status403Forbidden)
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict)
                .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
            group.MapGet("/", (string? tenantId, string? pageToken, int? pageSize, HttpContext http, IGrainFactory grains) =>
                    ListTasks(scope, tenantId, pageToken, pageSize, http, grains))
                .WithName($"List{Capitalized(scope)}Tasks")
                .WithSummary("A page of the tenant's tasks, newest first.")
                .ProducesProblem(StatusCodes.Status400BadRequest);
            group.MapGet("/{taskId}", (string taskId, HttpContext http, IGrainFactory grains) => GetTask(taskId, http, grains))
                .WithName($"Get{Capitalized(scope)}Task")
                .WithSummary("A task with its steps, result or error.")
                .ProducesProblem(StatusCodes.Status404NotFound);
        }

        return api;
    }

    public static async Task<Results<Accepted<TaskAcceptedDto>, ProblemHttpResult>> SubmitTask(
        string scope, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var body = await JsonBody.Read<TaskEnvelope>(http, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error, http);
        }

        var envelope = body.Value;
        var schemas = http.RequestServices.GetRequiredService<TaskActionSchemas>();
        if (schemas.Find(envelope.Action) is not { } action)
        {
            return Problems.Validation("action", $"must be one of: {string.Join(", ", schemas.Names)}", http);
        }

        var permission = action.Permission;

        var tenant = caller.ResolveTenant(envelope.TenantId);
        if (!tenant.IsSuccess)
        {
            return Problems.From(tenant.Error, http);
        }

        var tenantId = tenant.Value;
        if (!caller.Can(tenantId, permission))
        {
            return Problems.Of(ErrorCodes.Forbidden, $"The caller lacks the permission '{permission}' in tenant '{tenantId}'.", http);
        }

        var key = ReadIdempotencyKey(http);
        if (!key.IsSuccess)
        {
            return Problems.From(key.Error, http);
        }

        var idempotencyKey = key.Value;

        var request = await BuildRequest(tenantId, action, caller.Username, envelope, http.RequestServices.GetRequiredService<IImageCatalogue>());
        if (!request.IsSuccess)
        {
            return Problems.From(request.Error, http);
        }

        // A tenant user's membership was read from its user grain for this very request, and a membership
        // is only ever granted in a tenant that exists (tenants are never deleted): only an administrator,
        // who may name any tenant, needs the tenant asked. One cluster call fewer per tenant submission.
        if (!Names.IsValid(tenantId) || (caller.IsAdmin && !(await grains.Ref<ITenantGrain>(tenantId).Get()).IsSuccess))
        {
            return Problems.Of(ErrorCodes.NotFound, $"Tenant '{tenantId}' was not found.", http);
        }

        var taskId = idempotencyKey.Length > 0 ? TaskIdFor(tenantId, idempotencyKey) : "tsk-" + Guid.NewGuid().ToString("N");
        Result<TaskView> submitted;
        using (TenantAffinity.For(tenantId))
        {
            // The task, and what its submission activates, are placed on the tenant's silo.
            submitted = await grains.Ref<ITaskGrain>(taskId).Submit(request.Value);
        }

        if (!submitted.IsSuccess)
        {
            return Problems.From(submitted.Error, http);
        }

        var location = $"/api/v1/{scope}/tasks/{taskId}";
        return TypedResults.Accepted(location, new TaskAcceptedDto(taskId, TaskDto.StatusOf(submitted.Value.State), location));
    }

    /// <summary>Validates the envelope for its action and produces the enriched request the saga runs.</summary>
    public static async Task<Result<TaskRequest>> BuildRequest(
        string tenantId, ITaskActionSchema action, string requestedBy, TaskEnvelope envelope, IImageCatalogue images)
    {
        TaskTarget? target = null;
        if (envelope.Target is not null)
        {
            var errors = new Dictionary<string, string[]>();
            if (envelope.Target.Kind is not (ResourceKinds.Vm or ResourceKinds.Network))
            {
                errors["target.kind"] = ["must be 'vm' or 'network'"];
            }

            if (!Names.IsValid(envelope.Target.RefId))
            {
                errors["target.refId"] = ["must be a resource id"];
            }

            if (errors.Count > 0)
            {
                return Error.Validation(errors);
            }

            target = new TaskTarget(envelope.Target.Kind!, envelope.Target.RefId!);
        }

        if (action.TargetKind is null && target is not null)
        {
            return Error.Validation("target", $"{action.Name} takes no target");
        }

        if (action.TargetKind is { } kind && target?.Kind != kind)
        {
            return Error.Validation("target", $"{action.Name} needs a target of kind '{kind}' with the resource's id");
        }

        var payload = await action.Parse(envelope.Data, images);
        if (!payload.IsSuccess)
        {
            return payload.Error;
        }

        return new TaskRequest(tenantId, action.Name, requestedBy, target, payload.Value, Fingerprint(tenantId, action.Name, target, payload.Value));
    }

    /// <summary>The request's <c>Idempotency-Key</c> ("" when absent): at most 200 printable characters.</summary>
    public static Result<string> ReadIdempotencyKey(HttpContext http)
    {
        var key = http.Request.Headers[IdempotencyHeader].ToString();
        return key.Length > 200 || key.Any(char.IsControl)
            ? Error.Validation(IdempotencyHeader, "must be at most 200 printable characters")
            : key;
    }

    /// <summary>The same key in the same tenant always names the same task; keys of different tenants never collide.</summary>
    public static string TaskIdFor(string tenantId, string idempotencyKey) =>
        "tsk-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}\n{idempotencyKey}")))[..32];

    public static string Fingerprint(string tenantId, string action, TaskTarget? target, TaskPayload payload)
    {
        var canonical = JsonSerializer.Serialize(new { tenantId, action, target }) + JsonSerializer.Serialize(payload, payload.GetType());
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public static async Task<Results<Ok<PageDto<TaskDto>>, ProblemHttpResult>> ListTasks(
        string scope, string? tenantId, string? pageToken, int? pageSize, HttpContext http, IGrainFactory grains)
    {
        var caller = Caller.From(http.User);
        var tenant = caller.ResolveTenant(tenantId);
        if (!tenant.IsSuccess)
        {
            return Problems.From(tenant.Error, http);
        }

        var size = pageSize ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            return Problems.Validation("pageSize", $"must be between 1 and {MaxPageSize}", http);
        }

        if (pageToken is { Length: > 0 } && !Names.IsValid(pageToken))
        {
            return Problems.Validation("pageToken", "is not a token this API gave out", http);
        }

        var page = await grains.Ref<ITenantIndexGrain>(tenant.Value).ListTasks(pageToken, size);
        var views = await Task.WhenAll(page.Items.Select(id => grains.Ref<ITaskGrain>(id).Get(caller.ScopeFor(tenant.Value))));
        return TypedResults.Ok(new PageDto<TaskDto>([.. views.Where(v => v.IsSuccess).Select(v => TaskDto.From(v.Value!))], page.NextPageToken));
    }

    public static async Task<Results<Ok<TaskDto>, ProblemHttpResult>> GetTask(string taskId, HttpContext http, IGrainFactory grains)
    {
        var task = await TaskAccess.FindVisible(taskId, Caller.From(http.User), grains);
        return task.IsSuccess ? TypedResults.Ok(TaskDto.From(task.Value)) : Problems.From(task.Error, http);
    }

    private static string Capitalized(string scope) => char.ToUpperInvariant(scope[0]) + scope[1..];
}
