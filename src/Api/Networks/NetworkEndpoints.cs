using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Tenants;
using OrleansCloud.Api.Errors;
using OrleansCloud.Networks;
using OrleansCloud.Tasks;
using OrleansCloud.Tenants;

namespace OrleansCloud.Api.Networks;

/// <summary>
/// A tenant's networks: <c>GET /tenant/networks</c> and <c>/{networkId}</c>. They are made and removed
/// by the network.create and network.delete tasks (<c>POST /tenant/tasks</c>).
/// </summary>
public static class NetworkEndpoints
{
    public static RouteGroupBuilder MapNetworkEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tenant/networks").WithTags("Networks").RequireAuthorization(Policies.Tenant).ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/", ListNetworks).WithName("ListNetworks").WithSummary("The tenant's networks.").ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/{networkId}", GetNetwork).WithName("GetNetwork").WithSummary("One network.").ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Results<Ok<ItemsDto<NetworkDto>>, ProblemHttpResult>> ListNetworks(string? tenantId, HttpContext http, IGrainFactory grains)
    {
        var tenant = Caller.From(http.User).ResolveTenant(tenantId);
        if (!tenant.IsSuccess)
        {
            return Problems.From(tenant.Error, http);
        }

        var ids = await grains.Ref<ITenantGrain>(tenant.Value).ListResources(ResourceKinds.Network);
        var networks = await Task.WhenAll(ids.Select(id => grains.Ref<INetworkGrain>(id).Get(tenant.Value)));
        return TypedResults.Ok(new ItemsDto<NetworkDto>([.. networks.Where(n => n.IsSuccess).Select(n => NetworkDto.From(n.Value!))]));
    }

    public static async Task<Results<Ok<NetworkDto>, ProblemHttpResult>> GetNetwork(string networkId, string? tenantId, HttpContext http, IGrainFactory grains)
    {
        var caller = Caller.From(http.User);
        if (!Names.IsValid(networkId))
        {
            return Problems.Of(ErrorCodes.NotFound, $"Network '{networkId}' was not found.", http);
        }

        var network = await grains.Ref<INetworkGrain>(networkId).Get(tenantScope: null);
        if (!network.IsSuccess || network.Value.State == NetworkState.Deleted
            || !(caller.IsAdmin || caller.Memberships.Any(m => m.TenantId == network.Value.TenantId))
            || (tenantId is not null && tenantId != network.Value.TenantId))
        {
            return Problems.Of(ErrorCodes.NotFound, $"Network '{networkId}' was not found.", http);
        }

        return TypedResults.Ok(NetworkDto.From(network.Value));
    }
}
