using System.Net;
using System.Net.Http.Json;
using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Auth;

public sealed class AddressThrottleTests(AddressThrottleFactory factory) : IClassFixture<AddressThrottleFactory>
{
    [Fact]
    public async Task GuessingManyNames_FromOneAddress_IsRateLimited()
    {
        var client = factory.CreateClient();

        for (var i = 0; i < 4; i++)
        {
            var guess = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = $"guess{i}", password = "password1" });
            await ApiSession.Problem(guess, HttpStatusCode.Unauthorized, "ERR_UNAUTHENTICATED");
        }

        var next = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "guess-next", password = "password1" });

        await ApiSession.Problem(next, HttpStatusCode.TooManyRequests, "ERR_RATE_LIMITED");
        Assert.True(next.Headers.Contains("Retry-After"));
    }
}
