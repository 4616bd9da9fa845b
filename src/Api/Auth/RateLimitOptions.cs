using System.ComponentModel.DataAnnotations;

namespace OrleansCloud.Api.Auth;

/// <summary>
/// Throttling (configuration section <c>Api:RateLimits</c>), validated at start. Sign-in failures are
/// counted per user name and per client address in fixed windows; once either is spent, every attempt
/// for that name or from that address (the right password too) is 429 until the window ends. Requests
/// in general are token buckets per client address and per tenant, generous by default so that normal
/// use, the tests and the benchmarks never meet them.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Api:RateLimits";

    [Range(1, 1_000_000)]
    public int LoginFailuresPerUser { get; set; } = 10;

    [Range(1, 1_000_000)]
    public int LoginFailuresPerAddress { get; set; } = 100;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Sign-in attempts of any outcome per client address and minute.</summary>
    [Range(1, 1_000_000)]
    public int LoginAttemptsPerAddressPerMinute { get; set; } = 600;

    /// <summary>Requests per second a client address may keep up; a burst of ten seconds' worth is allowed.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerAddressPerSecond { get; set; } = 2000;

    /// <summary>Requests per second a tenant's users (together) may keep up; a burst of ten seconds' worth is allowed.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerTenantPerSecond { get; set; } = 1000;

    /// <summary>How long a spent request bucket takes to refill by one second's worth (tests lengthen it).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}
