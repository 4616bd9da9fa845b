using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Orleans.Runtime;
using OrleansCloud.Api.Tests.Http;
using Xunit.Abstractions;

namespace OrleansCloud.Api.Tests.Cluster;

/// <summary>
/// Issue 14: whatever the cluster raises reaches the API as something it can decode, and a cluster that
/// cannot answer is a prompt 503 <c>ERR_UNAVAILABLE</c> with <c>Retry-After</c>, never a 500 or a 30 s wait.
/// </summary>
public sealed class ClusterFailureTests(SeparateApi api, ITestOutputHelper output) : IClassFixture<SeparateApi>
{
    private static readonly Dictionary<string, Func<Exception>> Unavailability = new()
    {
        ["placement timeout (Polly)"] = () => new Polly.Timeout.TimeoutRejectedException("The operation didn't complete within the allowed timeout of '00:00:05'."),
        ["silo unavailable"] = () => new SiloUnavailableException("The target silo became unavailable for message"),
        ["connection failed"] = () => new Orleans.Runtime.Messaging.ConnectionFailedException("Unable to connect to endpoint 127.0.0.1:11111"),
        ["response timeout"] = () => new TimeoutException("Response did not arrive on time in 00:00:30"),
        ["exhausted pool (Npgsql)"] = () => new Npgsql.NpgsqlException(
            "The connection pool has been exhausted, either raise 'Max Pool Size' (currently 20) or 'Timeout' (currently 5 seconds) in your connection string.",
            new TimeoutException()),
        ["database down (Npgsql)"] = () => new Npgsql.NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)),
        ["a fault no codec carries"] = () => new UncarriedFault("something the wire cannot carry"),
    };

    public static TheoryData<string> Faults => [.. Unavailability.Keys];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task AFaultOfTheCluster_CrossesTheWire_AsA503WithRetryAfter(string fault)
    {
        var admin = await api.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/admin/tenants")).StatusCode);

        api.Faults.Throw(Unavailability[fault]());
        HttpResponseMessage response;
        try
        {
            response = await admin.GetAsync("/api/v1/admin/tenants");
        }
        finally
        {
            api.Faults.Clear();
        }

        await ApiSession.Problem(response, HttpStatusCode.ServiceUnavailable, "ERR_UNAVAILABLE");
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/admin/tenants")).StatusCode);
    }

    [Fact]
    public async Task APlacementTimeout_ReachesTheApisClient_AsItself_NotAsAMissingCodec()
    {
        api.Faults.Throw(new Polly.Timeout.TimeoutRejectedException("placement timed out"));
        try
        {
            var fault = await Assert.ThrowsAnyAsync<Exception>(() => api.Client.GetGrain<OrleansCloud.Common.IDirectoryGrain>(OrleansCloud.Common.DirectoryKeys.Tenants).List());
            Assert.IsType<Polly.Timeout.TimeoutRejectedException>(fault);
            Assert.Equal("placement timed out", fault.Message);
        }
        finally
        {
            api.Faults.Clear();
        }
    }

    [Fact]
    public async Task ABugInAGrain_StaysA500_WithoutRetryAfter()
    {
        var admin = await api.Admin();

        api.Faults.Throw(new InvalidOperationException("a bug"));
        HttpResponseMessage response;
        try
        {
            response = await admin.GetAsync("/api/v1/admin/tenants");
        }
        finally
        {
            api.Faults.Clear();
        }

        await ApiSession.Problem(response, HttpStatusCode.InternalServerError, "ERR_INTERNAL");
        Assert.Null(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task AGrainThatNeverAnswers_IsA503_WithinTheClusterCallTimeout()
    {
        var admin = await api.Admin();

        api.Faults.Hang();
        var clock = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await admin.GetAsync("/api/v1/admin/tenants");
        }
        finally
        {
            api.Faults.Clear();
        }

        clock.Stop();
        output.WriteLine($"503 after {clock.Elapsed.TotalMilliseconds:0} ms (Api:ClusterCallTimeout {SeparateApi.ClusterCallTimeout.TotalMilliseconds:0} ms)");
        var problem = await ApiSession.Problem(response, HttpStatusCode.ServiceUnavailable, "ERR_UNAVAILABLE");
        Assert.NotNull(response.Headers.RetryAfter);
        // Not before the budget; and long before the client's own 30 s timeout (the margin is wide so a starved
        // machine does not fail it: what it rules out is a call that waits for the grain, not a slow answer).
        Assert.InRange(clock.Elapsed, SeparateApi.ClusterCallTimeout * 0.9, SeparateApi.ClusterCallTimeout + TimeSpan.FromSeconds(15));
        Assert.Contains("could not be reached in time", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEventStream_IsNotCutOffByTheRequestBudget()
    {
        var (tenantId, user) = await TenantUser();
        using var stream = new CancellationTokenSource(SeparateApi.ClusterCallTimeout * 3);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tenant/events?tenantId={tenantId}");
        var clock = Stopwatch.StartNew();

        // The stream polls the cluster for as long as the client listens; were it bound by the budget, the
        // poll after the first second would fail and the answer would be a 503 (or an early end).
        try
        {
            using var response = await user.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stream.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStreamAsync(stream.Token);
            var buffer = new byte[1024];
            while (await body.ReadAsync(buffer, stream.Token) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.True(clock.Elapsed > SeparateApi.ClusterCallTimeout * 2.5, $"the stream ended after {clock.Elapsed}");
    }

    private async Task<(string TenantId, HttpClient User)> TenantUser()
    {
        var admin = await api.Admin();
        var tenantId = "t" + Guid.NewGuid().ToString("N")[..10];
        var username = "u" + Guid.NewGuid().ToString("N")[..10];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/v1/admin/tenants", Json(
            new { tenantId, name = "T", quota = new { vcpus = 2, ramMb = 2048, diskGb = 20, vms = 2 } }))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/v1/admin/users", Json(
            new { username, password = "correct-horse-battery", memberships = new[] { new { tenantId, permissions = new[] { "vm.add" } } } }))).StatusCode);
        var user = new HttpClient { BaseAddress = api.Http.BaseAddress };
        var token = await user.PostAsync("/api/v1/auth/token", Json(new { username, password = "correct-horse-battery" }));
        var accessToken = System.Text.Json.Nodes.JsonNode.Parse(await token.Content.ReadAsStringAsync())!["accessToken"]!.GetValue<string>();
        user.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return (tenantId, user);
    }

    private static StringContent Json(object body) => new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
