using System.Diagnostics;
using System.Net;
using OrleansCloud.Api.Tests.Http;
using Xunit.Abstractions;

namespace OrleansCloud.Api.Tests.Cluster;

/// <summary>Issue 14: the API starts without the cluster, answers 503 at once meanwhile, and connects when the cluster comes.</summary>
public sealed class ApiBeforeTheClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// Far longer than an answer takes even on a starved machine: an API that tried the cluster call before
    /// answering would take this long, one that knows it is not connected answers at once. The test compares
    /// against half of it, so it tells the two apart without depending on how fast the machine is.
    /// </summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);

    private readonly SeparateApi _api = new() { CallTimeout = CallTimeout };

    public Task InitializeAsync() => _api.StartApi();

    public Task DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task AnApiStartedBeforeTheCluster_Answers503AtOnce_AndServesOnceTheClusterComes()
    {
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.GetAsync("/healthz")).StatusCode);
        var clock = Stopwatch.StartNew();
        var login = await _api.Http.PostAsync("/api/v1/auth/token", new StringContent(
            $$"""{"username":"{{SeparateApi.AdminUser}}","password":"{{SeparateApi.AdminPassword}}"}""", System.Text.Encoding.UTF8, "application/json"));
        var waited = clock.Elapsed;

        await ApiSession.Problem(login, HttpStatusCode.ServiceUnavailable, "ERR_UNAVAILABLE");
        Assert.NotNull(login.Headers.RetryAfter);
        Assert.True(waited < CallTimeout / 2, $"the 503 took {waited}: it waited for the cluster call instead of answering at once");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _api.Http.GetAsync("/readyz")).StatusCode);

        await _api.StartSilo();
        var connected = await _api.WaitUntilConnected(TimeSpan.FromSeconds(15));

        output.WriteLine($"503 in {waited.TotalMilliseconds:0} ms while not connected; connected {connected.TotalMilliseconds:0} ms after the silo started");
        var admin = await _api.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/admin/tenants")).StatusCode);
    }
}
