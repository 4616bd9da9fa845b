using System.Net;
using System.Net.Http.Json;
using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Auth;

public sealed class LoginThrottleTests(UserThrottleFactory factory) : IClassFixture<UserThrottleFactory>
{
    [Fact]
    public async Task AfterTooManyWrongPasswords_EvenTheRightOneIsRateLimited_ForThatUserOnly()
    {
        var admin = await ApiSession.Admin(factory);
        var username = await NewUser(admin);
        var other = await NewUser(admin);
        var client = factory.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            await ApiSession.Problem(await SignIn(client, username, "wrong-password"), HttpStatusCode.Unauthorized, "ERR_UNAUTHENTICATED");
        }

        var wrong = await SignIn(client, username, "wrong-password");
        var right = await SignIn(client, username, "correct-horse-battery");
        var shouting = await SignIn(client, username.ToUpperInvariant(), "correct-horse-battery");

        foreach (var refused in new[] { wrong, right, shouting })
        {
            await ApiSession.Problem(refused, HttpStatusCode.TooManyRequests, "ERR_RATE_LIMITED");
            Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        }

        Assert.Equal(HttpStatusCode.OK, (await SignIn(client, other, "correct-horse-battery")).StatusCode);
    }

    [Fact]
    public async Task SuccessfulSignIns_AreNeverThrottled()
    {
        var admin = await ApiSession.Admin(factory);
        var username = await NewUser(admin);
        var client = factory.CreateClient();

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SignIn(client, username, "correct-horse-battery")).StatusCode);
        }
    }

    [Fact]
    public async Task ATenantsRequestsBeyondItsRate_AreRateLimited_AndOtherTenantsAreNot()
    {
        var admin = await ApiSession.Admin(factory);
        var (_, user) = await admin.NewTenantWithUser(factory);
        var (_, neighbour) = await admin.NewTenantWithUser(factory);

        // Two per period with a burst of ten periods: twenty requests pass, the period is an hour.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 25; i++)
        {
            statuses.Add((await user.Http.GetAsync("/api/v1/tenant/quota")).StatusCode);
        }

        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.OK));
        var refused = await user.Http.GetAsync("/api/v1/tenant/quota");
        await ApiSession.Problem(refused, HttpStatusCode.TooManyRequests, "ERR_RATE_LIMITED");
        Assert.True(refused.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, (await neighbour.Http.GetAsync("/api/v1/tenant/quota")).StatusCode);
    }

    private static Task<HttpResponseMessage> SignIn(HttpClient client, string username, string password) =>
        client.PostAsJsonAsync("/api/v1/auth/token", new { username, password });

    private async Task<string> NewUser(ApiSession admin)
    {
        var (tenantId, _) = await admin.NewTenantWithUser(factory);
        var username = "u" + Guid.NewGuid().ToString("N")[..10];
        var created = await admin.Http.PostAsJsonAsync("/api/v1/admin/users", new
        {
            username,
            password = "correct-horse-battery",
            memberships = new[] { new { tenantId, permissions = new[] { "vm.add" } } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return username;
    }
}
