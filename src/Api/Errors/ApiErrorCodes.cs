namespace OrleansCloud.Api.Errors;

/// <summary>
/// Codes only the HTTP edge answers (no grain returns them), kept beside the edge's status table so the
/// shared <see cref="ErrorCodes"/> of the contract stays what grains speak.
/// </summary>
public static class ApiErrorCodes
{
    /// <summary>413: the body is over the route's limit (1 MiB by default, 16 KiB for the token exchange).</summary>
    public const string PayloadTooLarge = "ERR_PAYLOAD_TOO_LARGE";

    /// <summary>429: too many requests (login attempts, or a tenant's or an address's request rate); see <c>Retry-After</c>.</summary>
    public const string RateLimited = "ERR_RATE_LIMITED";
}
