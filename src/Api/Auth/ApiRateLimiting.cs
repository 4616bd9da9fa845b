using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OrleansCloud.Api.Errors;

namespace OrleansCloud.Api.Auth;

/// <summary>
/// ASP.NET Core's rate limiting middleware for the API: a global chain of token buckets per client address
/// and per tenant, and the <see cref="LoginPolicy"/> on the token exchange. A refusal is 429
/// <c>ERR_RATE_LIMITED</c> with <c>Retry-After</c> in seconds.
/// </summary>
public static class ApiRateLimiting
{
    public const string LoginPolicy = "login";

    public static IServiceCollection AddOrleansCloudRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LoginThrottle>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, configured) =>
        {
            var o = configured.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : o.ReplenishmentPeriod;
                return new ValueTask(WriteRateLimited(context.HttpContext, retryAfter));
            };
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http =>
                    Bucket("address:" + AddressOf(http), o.RequestsPerAddressPerSecond, o.ReplenishmentPeriod)),
                PartitionedRateLimiter.Create<HttpContext, string>(http => TenantOf(http) is { } tenant
                    ? Bucket("tenant:" + tenant, o.RequestsPerTenantPerSecond, o.ReplenishmentPeriod)
                    : RateLimitPartition.GetNoLimiter("anonymous")));
            limiter.AddPolicy(LoginPolicy, http => RateLimitPartition.GetFixedWindowLimiter("login:" + AddressOf(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = o.LoginAttemptsPerAddressPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
        });
        return services;
    }

    public static Task WriteRateLimited(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Write(http, new Error(ApiErrorCodes.RateLimited, $"Too many requests; retry in {seconds} s."));
    }

    /// <summary>The client's address as the server saw it (behind a proxy, configure forwarded headers first).</summary>
    public static string AddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>
    /// The tenant a request counts against: the <c>tenantId</c> it names, else the caller's only tenant;
    /// a member of several tenants who names none counts against their user name; administrators are not
    /// limited per tenant.
    /// </summary>
    private static string? TenantOf(HttpContext http)
    {
        if (http.User.Identity?.IsAuthenticated != true || http.User.FindFirst(ClaimNames.Scope)?.Value != ClaimNames.TenantScope)
        {
            return null;
        }

        var named = http.Request.Query["tenantId"].ToString();
        if (Names.IsValid(named))
        {
            return named;
        }

        var memberships = http.User.FindAll(ClaimNames.Membership).Take(2).ToList();
        return memberships.Count == 1 ? Caller.From(http.User).Memberships.FirstOrDefault()?.TenantId : "user:" + http.User.FindFirst(ClaimNames.Subject)?.Value;
    }

    private static RateLimitPartition<string> Bucket(string key, int perPeriod, TimeSpan period) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perPeriod * 10,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
