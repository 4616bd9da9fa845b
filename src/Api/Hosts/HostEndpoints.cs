using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Errors;
using OrleansCloud.Api.Tenants;
using OrleansCloud.Hosts;

namespace OrleansCloud.Api.Hosts;

public static class HostEndpoints
{
    public static RouteGroupBuilder MapHostEndpoints(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin/hosts").WithTags("Hosts").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapGet("/", ListHosts).WithName("ListHosts");
        admin.MapGet("/{hostName}", GetHost).WithName("GetHost");
        return api;
    }

    public static async Task<Ok<ItemsDto<HostDto>>> ListHosts(IGrainFactory grains)
    {
        var hosts = await grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts();
        return TypedResults.Ok(new ItemsDto<HostDto>([.. hosts.Select(HostDto.From)]));
    }

    public static async Task<Results<Ok<HostDto>, ProblemHttpResult>> GetHost(string hostName, HttpContext http, IGrainFactory grains)
    {
        if (!Names.IsValid(hostName))
        {
            return Problems.Of(ErrorCodes.NotFound, $"Host '{hostName}' was not found.", http);
        }

        var host = await grains.GetGrain<IHostGrain>(hostName).Get();
        return host.IsSuccess ? TypedResults.Ok(HostDto.From(host.Value)) : Problems.From(host.Error, http);
    }
}
