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
        admin.MapPut("/{hostName}/state", SetHostState).WithName("SetHostState")
            .WithSummary("Take a host out of placement (maintenance, fenced) or back in (up). Its VMs keep running.")
            .Accepts<HostStateRequest>("application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    public static async Task<Ok<ItemsDto<HostDto>>> ListHosts(IGrainFactory grains)
    {
        var hosts = await grains.Ref<IPlacementGrain>(PlacementKeys.Global).ListHosts();
        return TypedResults.Ok(new ItemsDto<HostDto>([.. hosts.Select(HostDto.From)]));
    }

    /// <summary>
    /// The states an operator sets. "down" is observed from missing heartbeats, not set: a heartbeat would
    /// undo it at once.
    /// </summary>
    public static async Task<Results<Ok<HostDto>, ProblemHttpResult>> SetHostState(
        string hostName, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var body = await JsonBody.Read<HostStateRequest>(http, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error, http);
        }

        HostState? state = body.Value.State switch
        {
            "up" => HostState.Up,
            "maintenance" => HostState.Maintenance,
            "fenced" => HostState.Fenced,
            _ => null,
        };
        if (state is null)
        {
            return Problems.Validation("state", "must be up, maintenance or fenced", http);
        }

        if (!Names.IsValid(hostName))
        {
            return Problems.Of(ErrorCodes.NotFound, $"Host '{hostName}' was not found.", http);
        }

        var host = await grains.Ref<IHostGrain>(hostName).SetState(state.Value);
        return host.IsSuccess ? TypedResults.Ok(HostDto.From(host.Value)) : Problems.From(host.Error, http);
    }

    public static async Task<Results<Ok<HostDto>, ProblemHttpResult>> GetHost(string hostName, HttpContext http, IGrainFactory grains)
    {
        if (!Names.IsValid(hostName))
        {
            return Problems.Of(ErrorCodes.NotFound, $"Host '{hostName}' was not found.", http);
        }

        var host = await grains.Ref<IHostGrain>(hostName).Get();
        return host.IsSuccess ? TypedResults.Ok(HostDto.From(host.Value)) : Problems.From(host.Error, http);
    }
}
