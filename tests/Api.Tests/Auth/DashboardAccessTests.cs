using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
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

    [Fact]
    public async Task ABrowserWithoutAToken_IsSentToTheSignInForm()
    {
        var browser = Browser();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        request.Headers.Add("Accept", "text/html,application/xhtml+xml");

        using var response = await browser.SendAsync(request);
        using var form = await browser.GetAsync("/dashboard-signin");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard-signin", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal("text/html", form.Content.Headers.ContentType!.MediaType);
        Assert.Contains("name=\"password\"", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSignInForm_SetsAnHttpOnlyDashboardCookie_ThatOpensTheDashboard()
    {
        var browser = Browser();

        using var signedIn = await browser.PostAsync("/dashboard-signin", SignInForm(AllInOneFactory.AdminUser, AllInOneFactory.AdminPassword));

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/dashboard/", signedIn.Headers.Location!.OriginalString);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("oc_dashboard=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/dashboard", cookie, StringComparison.OrdinalIgnoreCase);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        request.Headers.Add("Accept", "text/html");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var dashboard = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }

    [Fact]
    public async Task TheSignInForm_WithAWrongPassword_SetsNoCookie()
    {
        using var refused = await Browser().PostAsync("/dashboard-signin", SignInForm(AllInOneFactory.AdminUser, "not-the-password"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie"));
        Assert.Contains("wrong password", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSignInForm_ForATenantUser_OpensNoDashboard()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, username) = ("t" + Guid.NewGuid().ToString("N")[..10], "u" + Guid.NewGuid().ToString("N")[..10]);
        using var tenant = await admin.Http.PostAsJsonAsync("/api/v1/admin/tenants",
            new { tenantId, name = "Browser", quota = new { vcpus = 1, ramMb = 1024, diskGb = 10, vms = 1 } });
        Assert.Equal(HttpStatusCode.Created, tenant.StatusCode);
        using var created = await admin.Http.PostAsJsonAsync("/api/v1/admin/users",
            new { username, password = "correct-horse-battery", memberships = new[] { new { tenantId, permissions = new[] { "vm.add" } } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var browser = Browser();

        using var signedIn = await browser.PostAsync("/dashboard-signin", SignInForm(username, "correct-horse-battery"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        request.Headers.Add("Cookie", signedIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0]);
        using var dashboard = await browser.SendAsync(request);

        await ApiSession.Problem(dashboard, HttpStatusCode.Forbidden, "ERR_FORBIDDEN");
    }

    [Fact]
    public async Task TheSignInForm_PostedAsJson_IsAProblem_AndSetsNoCookie()
    {
        using var refused = await Browser().PostAsJsonAsync("/dashboard-signin", new { username = AllInOneFactory.AdminUser, password = AllInOneFactory.AdminPassword });

        await ApiSession.Problem(refused, HttpStatusCode.BadRequest, "ERR_VALIDATION");
        Assert.False(refused.Headers.Contains("Set-Cookie"));
    }

    private HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    private static FormUrlEncodedContent SignInForm(string username, string password) =>
        new(new Dictionary<string, string> { ["username"] = username, ["password"] = password });
}
