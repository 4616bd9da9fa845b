using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.Api.Tests.Http;
using OrleansCloud.Users;

namespace OrleansCloud.Api.Tests.Auth;

[Collection(AllInOneCollection.Name)]
public sealed class PasswordTests(AllInOneFactory factory)
{
    [Fact]
    public async Task AHashOfTheEarlierFormat_StillSignsIn_AndIsRehashedWithIdentity()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, _) = await admin.NewTenantWithUser(factory);
        var username = "legacy" + Guid.NewGuid().ToString("N")[..8];
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        var user = grains.GetGrain<IUserGrain>(username);
        var legacy = LegacyHash("old-format-password", 1000);
        Assert.True((await user.Create(legacy, [new Membership(tenantId, ["vm.add"])])).IsSuccess);

        var first = await SignIn(username, "old-format-password");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var rehashed = await user.GetPasswordHash();
        Assert.NotEqual(legacy, rehashed);
        Assert.False(rehashed!.StartsWith("pbkdf2-sha256$", StringComparison.Ordinal));
        Assert.Equal(1, Convert.FromBase64String(rehashed)[0]); // Identity's format marker: v3
        Assert.Equal(HttpStatusCode.OK, (await SignIn(username, "old-format-password")).StatusCode);
        await ApiSession.Problem(await SignIn(username, "not-the-password"), HttpStatusCode.Unauthorized, "ERR_UNAUTHENTICATED");
    }

    [Fact]
    public async Task NewUsers_AreStoredWithIdentityHashes()
    {
        var admin = await ApiSession.Admin(factory);
        var (_, _) = await admin.NewTenantWithUser(factory);
        var names = (await admin.GetJson("/api/v1/admin/users"))["items"]!.AsArray().Select(u => u!["username"]!.GetValue<string>());
        var grains = factory.Services.GetRequiredService<IGrainFactory>();

        var hash = await grains.GetGrain<IUserGrain>(names.First(n => !n.StartsWith("legacy", StringComparison.Ordinal))).GetPasswordHash();

        Assert.Equal(1, Convert.FromBase64String(hash!)[0]);
    }

    [Fact]
    public async Task AnUnknownUser_CostsAboutAsMuchAsAWrongPassword()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, _) = await admin.NewTenantWithUser(factory);
        var known = "timing" + Guid.NewGuid().ToString("N")[..8];
        var created = await admin.Http.PostAsJsonAsync("/api/v1/admin/users", new
        {
            username = known,
            password = "correct-horse-battery",
            memberships = new[] { new { tenantId, permissions = new[] { "vm.add" } } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await SignIn("warm" + known, "x-wrong-password"); // JIT and grain warm-up outside the measurement

        var unknown = new List<double>();
        var wrong = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            unknown.Add(await Timed(() => SignIn($"nobody{i}" + known, "x-wrong-password")));
            wrong.Add(await Timed(() => SignIn(known, "x-wrong-password")));
        }

        // Before: ~1 ms against ~25 ms. Both now verify one hash; the medians must be of one order.
        var (u, w) = (Median(unknown), Median(wrong));
        Assert.True(u > w * 0.4, $"unknown user {u:F1} ms, wrong password {w:F1} ms");
    }

    private async Task<HttpResponseMessage> SignIn(string username, string password) =>
        await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { username, password });

    private static async Task<double> Timed(Func<Task<HttpResponseMessage>> call)
    {
        var clock = Stopwatch.StartNew();
        var response = await call();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>The format this project stored before Identity's hasher: "pbkdf2-sha256$iterations$salt$hash".</summary>
    private static string LegacyHash(string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2-sha256${iterations.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }
}
