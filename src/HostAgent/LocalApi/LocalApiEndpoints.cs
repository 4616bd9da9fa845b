using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansCloud.HostAgent.Drivers.Domains;

namespace OrleansCloud.HostAgent.LocalApi;

/// <summary>
/// The staging-hypervisor-agent contract (api.md, "Host agent's local API"), route for route: hosts are
/// libvirt domains, networks libvirt networks on Open vSwitch. 201 created, 204 deleted or started, 400
/// malformed JSON or a missing or invalid parameter, 404 unknown, 409 exists. Every name passes
/// <see cref="DomainNames"/> before it reaches a driver.
/// </summary>
public static class LocalApiEndpoints
{
    public static IEndpointRouteBuilder MapLocalApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/hosts", ListHosts);
        routes.MapGet("/hosts/{host}", GetHost);
        routes.MapPost("/hosts/{host}", CreateHost);
        routes.MapDelete("/hosts/{host}", DeleteHost);
        routes.MapPut("/hosts/{host}/start", StartHost);
        routes.MapGet("/networks", ListNetworks);
        routes.MapGet("/networks/{network}", GetNetwork);
        routes.MapPost("/networks/{network}", CreateNetwork);
        routes.MapDelete("/networks/{network}", DeleteNetwork);
        return routes;
    }

    public static async Task<Ok<LocalHostDto[]>> ListHosts(LocalHypervisor hypervisor, CancellationToken ct) =>
        TypedResults.Ok((await hypervisor.Domains.ListAsync(ct)).Select(LocalHostDto.From).ToArray());

    public static async Task<Results<Ok<LocalHostDto>, ProblemHttpResult>> GetHost(string host, LocalHypervisor hypervisor, CancellationToken ct) =>
        await FindHost(host, hypervisor, ct) is { } domain ? TypedResults.Ok(LocalHostDto.From(domain)) : LocalProblems.NotFound($"Host '{host}'");

    public static async Task<Results<Created<LocalHostDto>, ProblemHttpResult>> CreateHost(string host, HttpContext http, LocalHypervisor hypervisor, CancellationToken ct)
    {
        var body = await ReadObject(http, ct);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var errors = new Dictionary<string, string[]>();
        var definition = LocalHostRequest.Read(host, body.Value, errors);
        if (definition is null)
        {
            return LocalProblems.Invalid(errors);
        }

        if (await hypervisor.Domains.FindAsync(host, ct) is not null)
        {
            return LocalProblems.Conflict($"Host '{host}' already exists on {hypervisor.HostName}.");
        }

        // libvirt would define a domain on a missing network and only fail at its start: refuse it now.
        var known = (await hypervisor.Networks.ListAsync(ct)).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < definition.Networks.Count; i++)
        {
            if (!known.Contains(definition.Networks[i]))
            {
                errors[$"networks[{i}]"] = [$"there is no network '{definition.Networks[i]}' on {hypervisor.HostName}"];
            }
        }

        if (errors.Count > 0)
        {
            return LocalProblems.Invalid(errors);
        }

        var outcome = await hypervisor.Domains.DefineAsync(definition, ct);
        if (!outcome.Succeeded)
        {
            return LocalProblems.From(outcome, $"Host '{host}'");
        }

        var created = await hypervisor.Domains.FindAsync(host, ct) ?? new DomainInfo(null, host, "shut off");
        return TypedResults.Created($"/hosts/{host}", LocalHostDto.From(created));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteHost(string host, LocalHypervisor hypervisor, CancellationToken ct) =>
        await FindHost(host, hypervisor, ct) is null
            ? LocalProblems.NotFound($"Host '{host}'")
            : Done(await hypervisor.Domains.DeleteAsync(host, ct), $"Host '{host}'");

    public static async Task<Results<NoContent, ProblemHttpResult>> StartHost(string host, LocalHypervisor hypervisor, CancellationToken ct) =>
        await FindHost(host, hypervisor, ct) is null
            ? LocalProblems.NotFound($"Host '{host}'")
            : Done(await hypervisor.Domains.StartAsync(host, ct), $"Host '{host}'");

    public static async Task<Ok<LocalNetworkDto[]>> ListNetworks(LocalHypervisor hypervisor, CancellationToken ct) =>
        TypedResults.Ok((await hypervisor.Networks.ListAsync(ct)).Select(LocalNetworkDto.From).ToArray());

    public static async Task<Results<Ok<LocalNetworkDto>, ProblemHttpResult>> GetNetwork(string network, LocalHypervisor hypervisor, CancellationToken ct) =>
        await FindNetwork(network, hypervisor, ct) is { } found ? TypedResults.Ok(LocalNetworkDto.From(found)) : LocalProblems.NotFound($"Network '{network}'");

    public static async Task<Results<Created<LocalNetworkDto>, ProblemHttpResult>> CreateNetwork(string network, HttpContext http, LocalHypervisor hypervisor, CancellationToken ct)
    {
        var body = await ReadObject(http, ct);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var errors = new Dictionary<string, string[]>();
        if (!DomainNames.IsNetworkName(network))
        {
            errors["network"] = [DomainNames.NetworkRule];
        }

        var bridge = body.Value.TryGetProperty("bridge", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
        if (!DomainNames.IsBridgeName(bridge))
        {
            errors["bridge"] = [b.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? "is required" : DomainNames.BridgeRule];
        }

        var vlan = LocalHostRequest.RequiredInteger(body.Value, "vlan", 1, 4094, errors);
        if (errors.Count > 0)
        {
            return LocalProblems.Invalid(errors);
        }

        if (await hypervisor.Networks.FindAsync(network, ct) is not null)
        {
            return LocalProblems.Conflict($"Network '{network}' already exists on {hypervisor.HostName}.");
        }

        var outcome = await hypervisor.Networks.CreateAsync(new VirtualNetworkDefinition(network, bridge!, (int)vlan!.Value), ct);
        if (!outcome.Succeeded)
        {
            return LocalProblems.From(outcome, $"Network '{network}'");
        }

        var created = await hypervisor.Networks.FindAsync(network, ct) ?? new VirtualNetworkInfo(network, true, true, true);
        return TypedResults.Created($"/networks/{network}", LocalNetworkDto.From(created));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteNetwork(string network, LocalHypervisor hypervisor, CancellationToken ct) =>
        await FindNetwork(network, hypervisor, ct) is null
            ? LocalProblems.NotFound($"Network '{network}'")
            : Done(await hypervisor.Networks.DeleteAsync(network, ct), $"Network '{network}'");

    /// <summary>A name outside the allow-list cannot exist here: it is not found, and never asked of libvirt.</summary>
    private static async Task<DomainInfo?> FindHost(string host, LocalHypervisor hypervisor, CancellationToken ct) =>
        DomainNames.IsHostName(host) ? await hypervisor.Domains.FindAsync(host, ct) : null;

    private static async Task<VirtualNetworkInfo?> FindNetwork(string network, LocalHypervisor hypervisor, CancellationToken ct) =>
        DomainNames.IsNetworkName(network) ? await hypervisor.Networks.FindAsync(network, ct) : null;

    private static Results<NoContent, ProblemHttpResult> Done(DriverOutcome outcome, string what) =>
        outcome.Succeeded ? TypedResults.NoContent() : LocalProblems.From(outcome, what);

    /// <summary>The body as a JSON object, whatever its Content-Type (scripts often send none); anything else is a 400 problem.</summary>
    private static async Task<(JsonElement Value, ProblemHttpResult? Problem)> ReadObject(HttpContext http, CancellationToken ct)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, default, ct);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, LocalProblems.Invalid("body", "must be a JSON object"));
        }
        catch (JsonException)
        {
            return (default, LocalProblems.Invalid("body", "is not valid JSON"));
        }
    }
}
