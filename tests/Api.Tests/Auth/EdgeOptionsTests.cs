using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Auth;

/// <summary>Limits that make no sense stop the process at start, naming the setting, instead of the first request.</summary>
public sealed class EdgeOptionsTests
{
    [Theory]
    [InlineData("Api:RateLimits:LoginFailuresPerUser", "0")]
    [InlineData("Api:RateLimits:RequestsPerTenantPerSecond", "-5")]
    [InlineData("Api:Limits:MaxRequestBodyBytes", "10")]
    [InlineData("Dashboard:Port", "70000")]
    public void AnInvalidLimit_StopsTheStart(string key, string value)
    {
        using var factory = new MisconfiguredFactory(key, value);

        var failure = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(failure);
        Assert.Contains(key.Split(':')[^1], failure.ToString(), StringComparison.Ordinal);
    }

    private sealed class MisconfiguredFactory(string key, string value) : AllInOneFactory
    {
        protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string> { [key] = value };
    }
}
