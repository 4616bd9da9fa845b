using System.Text.Json;
using OrleansCloud.Api.Actions;
using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Errors;
using OrleansCloud.Api.Tasks;
using OrleansCloud.Api.Tenants;
using OrleansCloud.Tenants;
using OrleansCloud.Vms;

namespace OrleansCloud.Api.Vms;

/// <summary>
/// Read routes for VMs, and REST sugar for their tasks: <c>DELETE</c> (vm.delete), <c>PATCH</c>
/// (vm.edit), <c>POST .../start</c>, <c>.../stop</c>, <c>.../reboot</c> and <c>.../migrate</c>,
/// <c>POST .../interfaces</c> (vm.attachInterface) and <c>DELETE .../interfaces/{network}</c>
/// (vm.detachInterface). The sugar's body, when any, is the action's <c>data</c>.
/// </summary>
public static class VmEndpoints
{
    public static RouteGroupBuilder MapVmEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tenant/vms").WithTags("VMs").RequireAuthorization(Policies.Tenant).ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/", ListVms).WithName("ListVms").WithSummary("The tenant's VMs.").ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/{vmId}", GetVm).WithName("GetVm").WithSummary("One VM; the ETag is its version.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{vmId}", DeleteVm).WithName("DeleteVm")
            .WithSummary("Submits a vm.delete task for the VM (same answer as POST /tenant/tasks).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{vmId}/start", StartVm).WithName("StartVm")
            .WithSummary("Submits a vm.start task for a stopped VM (same answer as POST /tenant/tasks).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{vmId}/stop", StopVm).WithName("StopVm").WithMetadata(new TaskDataBody("vm.stop"))
            .WithSummary("Submits a vm.stop task for a running VM; body (optional): {\"force\": true} powers it off at once.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{vmId}/reboot", RebootVm).WithName("RebootVm").WithMetadata(new TaskDataBody("vm.reboot"))
            .WithSummary("Submits a vm.reboot task for a running VM; body (optional): {\"force\": true} resets it at once.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{vmId}/migrate", MigrateVm).WithName("MigrateVm").WithMetadata(new TaskDataBody("vm.migrate"))
            .WithSummary("Submits a vm.migrate task (cold) to another host of the VM's area; body (optional): {\"host\": \"...\"}.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/{vmId}/interfaces", AttachInterface).WithName("AttachInterface").WithMetadata(new TaskDataBody("vm.attachInterface"))
            .WithSummary("Submits a vm.attachInterface task; body: {\"network\": \"<a tenant network of the VM's area>\"}.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{vmId}/interfaces/{network}", DetachInterface).WithName("DetachInterface")
            .WithSummary("Submits a vm.detachInterface task for the VM's interface on that network (same answer as POST /tenant/tasks).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPatch("/{vmId}", EditVm).WithName("EditVm").WithMetadata(new TaskDataBody("vm.edit"))
            .WithSummary("Submits a vm.edit task for a stopped VM; body: any of {\"cpu\", \"ram\", \"disk\"} (the disk only grows).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    public static async Task<Results<Ok<ItemsDto<VmDto>>, ProblemHttpResult>> ListVms(string? tenantId, HttpContext http, IGrainFactory grains)
    {
        var caller = Caller.From(http.User);
        var tenant = caller.ResolveTenant(tenantId);
        if (!tenant.IsSuccess)
        {
            return Problems.From(tenant.Error, http);
        }

        var ids = await grains.Ref<ITenantGrain>(tenant.Value).ListResources("vm");
        var vms = await Task.WhenAll(ids.Select(id => grains.Ref<IVmGrain>(id).Get(tenant.Value)));
        return TypedResults.Ok(new ItemsDto<VmDto>([.. vms.Where(v => v.IsSuccess).Select(v => VmDto.From(v.Value!))]));
    }

    public static async Task<Results<Ok<VmDto>, ProblemHttpResult>> GetVm(string vmId, string? tenantId, HttpContext http, IGrainFactory grains)
    {
        var caller = Caller.From(http.User);
        if (!Names.IsValid(vmId))
        {
            return Problems.Of(ErrorCodes.NotFound, $"VM '{vmId}' was not found.", http);
        }

        var vm = await grains.Ref<IVmGrain>(vmId).Get(tenantScope: null);
        if (!vm.IsSuccess || !(caller.IsAdmin || caller.Memberships.Any(m => m.TenantId == vm.Value.TenantId))
            || (tenantId is not null && tenantId != vm.Value.TenantId))
        {
            return Problems.Of(ErrorCodes.NotFound, $"VM '{vmId}' was not found.", http);
        }

        http.Response.Headers.ETag = $"\"{vm.Value.Version}\"";
        return TypedResults.Ok(VmDto.From(vm.Value));
    }

    public static Task<Results<Accepted<TaskAcceptedDto>, ProblemHttpResult>> DeleteVm(
        string vmId, string? tenantId, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken) =>
        SubmitOnVm("vm.delete", vmId, tenantId, http, grains, cancellationToken);

    public static Task<Results<Accepted<TaskAcceptedDto>, ProblemHttpResult>> StartVm(
        string vmId, string? tenantId, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken) =>
        SubmitOnVm("vm.start", vmId, tenantId, http, grains, cancellationToken);

    public static Task<Results<Accepted<TaskAcceptedDto>, ProblemHttpResult>> StopVm(
        string vmId, string? tenantId, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken) =>
        SubmitOnVm("vm.stop", vmId, tenantId, http, grains, cancellationToken);

    public static Task<Results<Accepted<TaskAcceptedDto>, ProblemHttpResult>> RebootVm(
        string vmId, string? tenantId, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken) =>
        SubmitOnVm("vm.reboot", vmId, tenantId, http, grains, cancellationToken);

    public static Task<Results<Accepted<TaskAcceptedDto>, ProblemHttpResult>> MigrateVm(
        string vmId, string? tenantId, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken) =>
        SubmitOnVm("vm.migrate", vmId, tenantId, http, grains, cancellationToken);

    public static Task<Results<Accepted<TaskAcceptedDto>, ProblemHttpResult>> EditVm(
        string vmId, string? tenantId, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken) =>
        SubmitOnVm("vm.edit", vmId, tenantId, http, grains, cancellationToken);

    public static Task<Results<Accepted<TaskAcceptedDto>, ProblemHttpResult>> AttachInterface(
        string vmId, string? tenantId, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken) =>
        SubmitOnVm("vm.attachInterface", vmId, tenantId, http, grains, cancellationToken);

    public static Task<Results<Accepted<TaskAcceptedDto>, ProblemHttpResult>> DetachInterface(
        string vmId, string network, string? tenantId, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken) =>
        SubmitOnVm("vm.detachInterface", vmId, tenantId, http, grains, cancellationToken,
            JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["network"] = network }));

    /// <summary>
    /// Builds the task envelope for an action on one VM (its data: <paramref name="given"/>, else the
    /// body, if any) and submits it as POST /tenant/tasks would.
    /// </summary>
    private static async Task<Results<Accepted<TaskAcceptedDto>, ProblemHttpResult>> SubmitOnVm(
        string action, string vmId, string? tenantId, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken, JsonElement? given = null)
    {
        JsonElement? data = given;
        if (given is null && (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0))
        {
            var body = await JsonBody.ReadElement(http, cancellationToken);
            if (!body.IsSuccess)
            {
                return Problems.From(body.Error, http);
            }

            data = body.Value;
        }

        var caller = Caller.From(http.User);
        if (tenantId is null && caller.Memberships.Count != 1 && Names.IsValid(vmId))
        {
            // Several tenants (or an administrator): the VM itself says whose it is, if the caller may see it.
            var vm = await grains.Ref<IVmGrain>(vmId).Get(tenantScope: null);
            if (vm.IsSuccess && (caller.IsAdmin || caller.Memberships.Any(m => m.TenantId == vm.Value.TenantId)))
            {
                tenantId = vm.Value.TenantId;
            }
        }

        var envelope = JsonSerializer.SerializeToUtf8Bytes(
            new TaskEnvelope(tenantId, action, new TaskTargetDto("vm", vmId), data), ApiJson.Options);
        http.Request.Body = new MemoryStream(envelope);
        return await TaskEndpoints.SubmitTask("tenant", http, grains, cancellationToken);
    }
}
