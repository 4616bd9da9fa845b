using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Auth;

/// <summary>An all-in-one whose per-user sign-in failures and per-tenant request rate are tiny (and never refill during a test).</summary>
public sealed class UserThrottleFactory : AllInOneFactory
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        ["Api:RateLimits:LoginFailuresPerUser"] = "3",
        ["Api:RateLimits:LoginFailureWindow"] = "01:00:00",
        ["Api:RateLimits:RequestsPerTenantPerSecond"] = "2",
        ["Api:RateLimits:ReplenishmentPeriod"] = "01:00:00",
    };
}
