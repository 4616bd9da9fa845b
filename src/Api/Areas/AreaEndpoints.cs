using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Errors;
using OrleansCloud.Api.Tenants;
using OrleansCloud.Areas;
using OrleansCloud.Hosts;

namespace OrleansCloud.Api.Areas;

/// <summary>
/// <c>/admin/areas</c>: the failover domains, their settings (AreaGrain) and the fleet in each one as
/// the hosts' heartbeats report it.
/// </summary>
public static class AreaEndpoints
{
    public static RouteGroupBuilder MapAreaEndpoints(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin/areas").WithTags("Areas").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/", CreateArea).WithName("CreateArea")
            .WithSummary("Create an area: only 'area' is required; the VLAN range defaults to 100-4094 and the subnet pool to 10.0.0.0/8.")
            .Accepts<CreateAreaRequest>("application/json").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ReplaysIdempotentRequests();
        admin.MapGet("/", ListAreas).WithName("ListAreas").WithSummary("Every area with its settings, host count and capacity.");
        admin.MapGet("/{area}", GetArea).WithName("GetArea").WithSummary("One area with its hosts.");
        admin.MapPatch("/{area}", ChangeArea).WithName("ChangeArea")
            .WithSummary("Change the given fields; a VLAN range that leaves out a VLAN in use is refused (409).")
            .Accepts<ChangeAreaRequest>("application/json").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPut("/{area}", ChangeArea).WithName("ReplaceArea")
            .WithSummary("The same as PATCH: absent fields stay as they are.")
            .Accepts<ChangeAreaRequest>("application/json").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapDelete("/{area}", DeleteArea).WithName("DeleteArea")
            .WithSummary("Delete an area; refused (409) while a host reports it or a network holds one of its VLANs.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Results<Created<AreaDto>, ProblemHttpResult>> CreateArea(
        HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var body = await JsonBody.Read<CreateAreaRequest>(http, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error, http);
        }

        var input = AreaInput.ToSettings(body.Value);
        if (!input.IsSuccess)
        {
            return Problems.From(input.Error, http);
        }

        var (area, settings) = input.Value;
        var created = await grains.Ref<IAreaGrain>(area).Create(settings);
        if (!created.IsSuccess)
        {
            return Problems.From(created.Error, http);
        }

        var hosts = await grains.Ref<IPlacementGrain>(PlacementKeys.Global).ListHosts();
        return TypedResults.Created($"/api/v1/admin/areas/{area}", AreaDto.From(created.Value, hosts, withHosts: true));
    }

    public static async Task<Ok<ItemsDto<AreaDto>>> ListAreas(IGrainFactory grains)
    {
        var ids = await grains.Ref<IDirectoryGrain>(DirectoryKeys.Areas).List();
        var hosts = await grains.Ref<IPlacementGrain>(PlacementKeys.Global).ListHosts();
        var areas = await Task.WhenAll(ids.Select(id => grains.Ref<IAreaGrain>(id).Get()));
        return TypedResults.Ok(new ItemsDto<AreaDto>([.. areas.Where(a => a.IsSuccess).Select(a => AreaDto.From(a.Value!, hosts, withHosts: false))]));
    }

    public static async Task<Results<Ok<AreaDto>, ProblemHttpResult>> GetArea(string area, HttpContext http, IGrainFactory grains)
    {
        var found = await grains.Ref<IAreaGrain>(area).Get();
        if (!found.IsSuccess)
        {
            return Problems.From(found.Error, http);
        }

        var hosts = await grains.Ref<IPlacementGrain>(PlacementKeys.Global).ListHosts();
        return TypedResults.Ok(AreaDto.From(found.Value, hosts, withHosts: true));
    }

    public static async Task<Results<Ok<AreaDto>, ProblemHttpResult>> ChangeArea(
        string area, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var body = await JsonBody.Read<ChangeAreaRequest>(http, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error, http);
        }

        var change = AreaInput.ToChange(body.Value);
        if (!change.IsSuccess)
        {
            return Problems.From(change.Error, http);
        }

        var changed = await grains.Ref<IAreaGrain>(area).Change(change.Value);
        if (!changed.IsSuccess)
        {
            return Problems.From(changed.Error, http);
        }

        var hosts = await grains.Ref<IPlacementGrain>(PlacementKeys.Global).ListHosts();
        return TypedResults.Ok(AreaDto.From(changed.Value, hosts, withHosts: true));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteArea(string area, HttpContext http, IGrainFactory grains)
    {
        var deleted = await grains.Ref<IAreaGrain>(area).Delete();
        return deleted.IsSuccess ? TypedResults.NoContent() : Problems.From(deleted.Error!, http);
    }
}
