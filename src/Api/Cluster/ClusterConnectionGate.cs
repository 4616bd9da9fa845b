using OrleansCloud.Api.Errors;

namespace OrleansCloud.Api.Cluster;

public static class ClusterConnectionGate
{
    /// <summary>
    /// Until the cluster client has connected (<see cref="ClusterConnection"/>), every route under
    /// <c>/api/v1</c> answers 503 at once; health and OpenAPI are served regardless. A co-hosted API (the
    /// all-in-one) has no <see cref="ClusterConnection"/> and no gate: its silo started before Kestrel.
    /// </summary>
    public static IApplicationBuilder UseClusterConnectionGate(this IApplicationBuilder app) => app.Use((http, next) =>
        http.RequestServices.GetService<ClusterConnection>() is { IsConnected: false } && http.Request.Path.StartsWithSegments(ApiHostingExtensions.RoutePrefix)
            ? ClusterFailures.WriteUnavailable(http, "The API is still connecting to the control plane; retry later.")
            : next(http));
}
