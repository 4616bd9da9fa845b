using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OrleansCloud.Api.Auth;

/// <summary>
/// Counts failed sign-ins per user name and per client address with System.Threading.RateLimiting's
/// fixed windows (the limiters ASP.NET Core's rate limiting middleware is built on). Successes cost
/// nothing, so a user who types the password right is never locked out by their own sign-ins.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perUser;
    private readonly PartitionedRateLimiter<string> _perAddress;

    public LoginThrottle(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        _perUser = Create(o.LoginFailuresPerUser, o.LoginFailureWindow);
        _perAddress = Create(o.LoginFailuresPerAddress, o.LoginFailureWindow);
    }

    /// <summary>When the name or the address has no failures left: how long until it may try again.</summary>
    public TimeSpan? Refusal(string username, string address)
    {
        foreach (var (limiter, key) in new[] { (_perUser, Normalise(username)), (_perAddress, address) })
        {
            if (limiter.GetStatistics(key)?.CurrentAvailablePermits is <= 0)
            {
                using var lease = limiter.AttemptAcquire(key);
                if (!lease.IsAcquired)
                {
                    return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
                }
            }
        }

        return null;
    }

    public void Failed(string username, string address)
    {
        _perUser.AttemptAcquire(Normalise(username)).Dispose();
        _perAddress.AttemptAcquire(address).Dispose();
    }

    public void Dispose()
    {
        _perUser.Dispose();
        _perAddress.Dispose();
    }

    /// <summary>Case and length do not make a new name to guess under.</summary>
    private static string Normalise(string username) => (username.Length > 64 ? username[..64] : username).ToLowerInvariant();

    private static PartitionedRateLimiter<string> Create(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
