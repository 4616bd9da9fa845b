using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Auth;

/// <summary>An all-in-one that allows a client address only four failed sign-ins an hour.</summary>
public sealed class AddressThrottleFactory : AllInOneFactory
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        ["Api:RateLimits:LoginFailuresPerAddress"] = "4",
        ["Api:RateLimits:LoginFailureWindow"] = "01:00:00",
    };
}
