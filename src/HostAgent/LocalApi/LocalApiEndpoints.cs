using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansCloud.HostAgent.Drivers;
using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.LocalApi;

/// <summary>
/// The staging-hypervisor-agent contract (api.md): VMs ("hosts" in that contract) and networks of this
/// agent's hypervisor. 201 created, 204 deleted or started, 400 malformed or missing, 404 unknown,
/// 409 already exists. Names are validated before anything reaches a driver.
/// </summary>
public static class LocalApiEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static IEndpointRouteBuilder MapLocalApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/hosts", ListVms);
        routes.MapGet("/hosts/{name}", GetVm);
        routes.MapPost("/hosts", CreateVm);
        routes.MapDelete("/hosts/{name}", DeleteVm);
        routes.MapPut("/hosts/{name}/start", StartVm);
        routes.MapGet("/networks", ListNetworks);
        routes.MapGet("/networks/{name}", GetNetwork);
        routes.MapPost("/networks", CreateNetwork);
        routes.MapDelete("/networks/{name}", DeleteNetwork);
        return routes;
    }

    public static async Task<Ok<ItemsDto<LocalVmDto>>> ListVms(LocalHypervisor hypervisor, CancellationToken ct) =>
        TypedResults.Ok(new ItemsDto<LocalVmDto>([.. (await hypervisor.Inventory.ListVmsAsync(hypervisor.HostName, ct)).Select(ToDto)]));

    public static async Task<Results<Ok<LocalVmDto>, ProblemHttpResult>> GetVm(string name, LocalHypervisor hypervisor, CancellationToken ct)
    {
        var vm = LocalNames.IsVmName(name) ? await hypervisor.FindVm(name, ct) : null;
        return vm is null ? LocalProblems.NotFound($"VM '{name}'") : TypedResults.Ok(ToDto(vm));
    }

    public static async Task<Results<Created<LocalVmDto>, ProblemHttpResult>> CreateVm(HttpContext http, LocalHypervisor hypervisor, CancellationToken ct)
    {
        var body = await Read<CreateLocalVmRequest>(http, ct);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var request = body.Value!;
        var spec = new VmSpec(
            request.Name ?? "",
            request.Cpu ?? 1,
            request.RamMb ?? 512,
            request.DiskGb ?? 10,
            request.ImageId ?? "debian-12-genericcloud",
            request.Generation ?? 2,
            request.CloudInit is { ValueKind: JsonValueKind.Object } cloudInit ? cloudInit.GetRawText() : "{}",
            Area: null,
            Network: request.Network);
        var errors = VmLimits.Check(spec).ToDictionary(e => e.Key.Replace("data.", "", StringComparison.Ordinal), e => e.Value);
        if (request.Name is null)
        {
            errors["name"] = ["is required"];
        }

        if (request.Network is not null && !LocalNames.IsNetworkName(request.Network))
        {
            errors["network"] = ["must be a network name"];
        }

        if (request.CloudInit is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
        {
            errors["cloudInit"] = ["must be an object"];
        }

        if (errors.Count > 0)
        {
            return LocalProblems.Invalid(errors);
        }

        if (await hypervisor.FindVm(spec.Name, ct) is not null)
        {
            return LocalProblems.Conflict($"VM '{spec.Name}' already exists on {hypervisor.HostName}.");
        }

        var result = await HostOperationDispatch.RunAsync(hypervisor.Driver, hypervisor.HostName, new CreateVm($"local:{spec.Name}:create", spec.Name, spec), ct);
        if (!result.Succeeded)
        {
            return LocalProblems.Failed(result.Message ?? "create failed", result.Logs);
        }

        var created = await hypervisor.FindVm(spec.Name, ct) ?? new VmInfo(spec.Name, "running", spec.Cpu, spec.RamMb, result.Addresses);
        return TypedResults.Created($"/hosts/{spec.Name}", ToDto(created));
    }

    public static Task<Results<NoContent, ProblemHttpResult>> DeleteVm(string name, LocalHypervisor hypervisor, CancellationToken ct) =>
        OnExistingVm(name, hypervisor, id => new DeleteVm(id, name), "delete", ct);

    public static Task<Results<NoContent, ProblemHttpResult>> StartVm(string name, LocalHypervisor hypervisor, CancellationToken ct) =>
        OnExistingVm(name, hypervisor, id => new StartVm(id, name), "start", ct);

    public static async Task<Ok<ItemsDto<NetworkDto>>> ListNetworks(LocalHypervisor hypervisor, CancellationToken ct) =>
        TypedResults.Ok(new ItemsDto<NetworkDto>([.. (await hypervisor.Networks.ListNetworksAsync(ct)).Select(ToDto)]));

    public static async Task<Results<Ok<NetworkDto>, ProblemHttpResult>> GetNetwork(string name, LocalHypervisor hypervisor, CancellationToken ct)
    {
        var network = LocalNames.IsNetworkName(name) ? await hypervisor.FindNetwork(name, ct) : null;
        return network is null ? LocalProblems.NotFound($"Network '{name}'") : TypedResults.Ok(ToDto(network));
    }

    public static async Task<Results<Created<NetworkDto>, ProblemHttpResult>> CreateNetwork(HttpContext http, LocalHypervisor hypervisor, CancellationToken ct)
    {
        var body = await Read<CreateNetworkRequest>(http, ct);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var request = body.Value!;
        var errors = new Dictionary<string, string[]>();
        if (!LocalNames.IsNetworkName(request.Name))
        {
            errors["name"] = [request.Name is null ? "is required" : "must be 1-63 lower-case letters, digits or inner hyphens"];
        }

        if (!LocalNames.IsBridgeName(request.Bridge))
        {
            errors["bridge"] = [request.Bridge is null ? "is required" : "must be an interface name of at most 15 lower-case letters, digits or hyphens"];
        }

        if (!LocalNames.IsVlan(request.Vlan))
        {
            errors["vlan"] = [request.Vlan is null ? "is required" : "must be between 1 and 4094"];
        }

        if (errors.Count > 0)
        {
            return LocalProblems.Invalid(errors);
        }

        if (await hypervisor.FindNetwork(request.Name!, ct) is not null)
        {
            return LocalProblems.Conflict($"Network '{request.Name}' already exists.");
        }

        var result = await hypervisor.Networks.EnsureNetworkAsync(new NetworkSpec(request.Name!, request.Bridge!, request.Vlan!.Value), ct);
        if (result.Conflict)
        {
            return LocalProblems.Conflict(result.Message ?? $"Network '{request.Name}' conflicts with an existing one.");
        }

        if (!result.Succeeded)
        {
            return LocalProblems.Failed(result.Message ?? "network creation failed", result.Logs);
        }

        var created = await hypervisor.FindNetwork(request.Name!, ct) ?? new NetworkInfo(request.Name!, request.Bridge!, request.Vlan.Value, true);
        return TypedResults.Created($"/networks/{request.Name}", ToDto(created));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteNetwork(string name, LocalHypervisor hypervisor, CancellationToken ct)
    {
        if (!LocalNames.IsNetworkName(name) || await hypervisor.FindNetwork(name, ct) is null)
        {
            return LocalProblems.NotFound($"Network '{name}'");
        }

        var result = await hypervisor.Networks.DeleteNetworkAsync(name, ct);
        return result.Succeeded ? TypedResults.NoContent() : LocalProblems.Failed(result.Message ?? "network deletion failed", result.Logs);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> OnExistingVm(
        string name, LocalHypervisor hypervisor, Func<string, HostOperation> operation, string verb, CancellationToken ct)
    {
        if (!LocalNames.IsVmName(name) || await hypervisor.FindVm(name, ct) is null)
        {
            return LocalProblems.NotFound($"VM '{name}'");
        }

        var result = await HostOperationDispatch.RunAsync(hypervisor.Driver, hypervisor.HostName, operation($"local:{name}:{verb}"), ct);
        return result.Succeeded ? TypedResults.NoContent() : LocalProblems.Failed(result.Message ?? $"{verb} failed", result.Logs);
    }

    private static async Task<(T? Value, ProblemHttpResult? Problem)> Read<T>(HttpContext http, CancellationToken ct)
        where T : class
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, default, ct);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, LocalProblems.Invalid("body", "must be a JSON object"));
            }

            var value = document.RootElement.Deserialize<T>(Json);
            return value is null ? (null, LocalProblems.Invalid("body", "must be a JSON object")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, LocalProblems.Invalid(string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.'), "is not valid JSON for this request"));
        }
    }

    private static LocalVmDto ToDto(VmInfo vm) => new(vm.Name, vm.State, vm.Cpu, vm.RamMb, vm.Addresses);

    private static NetworkDto ToDto(NetworkInfo network) => new(network.Name, network.Bridge, network.Vlan, network.Active);
}
