using System.Net;
using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Auth;

[Collection(AllInOneCollection.Name)]
public sealed class DashboardAccessTests(AllInOneFactory factory)
{
    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/Trace")]
    public async Task TheDashboard_WithoutAToken_IsUnauthenticated(string path)
    {
        var response = await factory.CreateClient().GetAsync(path, HttpCompletionOption.ResponseHeadersRead);

        await ApiSession.Problem(response, HttpStatusCode.Unauthorized, "ERR_UNAUTHENTICATED");
    }

    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/Trace")]
    public async Task TheDashboard_ForATenantUser_IsForbidden(string path)
    {
        var (_, user) = await (await ApiSession.Admin(factory)).NewTenantWithUser(factory);

        var response = await user.Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);

        await ApiSession.Problem(response, HttpStatusCode.Forbidden, "ERR_FORBIDDEN");
    }

    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/Trace")]
    public async Task TheDashboard_ForAnAdministrator_Answers(string path)
    {
        var admin = await ApiSession.Admin(factory);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var response = await admin.Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancel.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheDashboard_TakesTheAdministratorsTokenFromItsCookie()
    {
        var admin = await ApiSession.Admin(factory);
        var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        request.Headers.Add("Cookie", $"oc_dashboard={admin.Http.DefaultRequestHeaders.Authorization!.Parameter}");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
