using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Errors;
using OrleansCloud.Api.Tenants;
using OrleansCloud.Hosts;

namespace OrleansCloud.Api.Areas;

/// <summary><c>/admin/areas</c>: the fleet by failover domain, from the hosts' heartbeats.</summary>
public static class AreaEndpoints
{
    public static RouteGroupBuilder MapAreaEndpoints(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin/areas").WithTags("Areas").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapGet("/", ListAreas).WithName("ListAreas").WithSummary("Every area with its host count and capacity.");
        admin.MapGet("/{area}", GetArea).WithName("GetArea").WithSummary("One area with its hosts.");
        return api;
    }

    public static async Task<Ok<ItemsDto<AreaDto>>> ListAreas(IGrainFactory grains)
    {
        var hosts = await grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts();
        return TypedResults.Ok(new ItemsDto<AreaDto>(AreaDto.From(hosts, withHosts: false)));
    }

    public static async Task<Results<Ok<AreaDto>, ProblemHttpResult>> GetArea(string area, HttpContext http, IGrainFactory grains)
    {
        var hosts = await grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts();
        var found = AreaDto.From(hosts.Where(h => h.Area == area), withHosts: true);
        return found.Count == 1 ? TypedResults.Ok(found[0]) : Problems.Of(ErrorCodes.NotFound, $"Area '{area}' was not found.", http);
    }
}
