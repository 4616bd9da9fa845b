namespace OrleansCloud.Api.Errors;

/// <summary>The one table from error codes to HTTP statuses (api.md).</summary>
public static class ErrorStatus
{
    private static readonly Dictionary<string, (int Status, string Title)> Table = new(StringComparer.Ordinal)
    {
        [ErrorCodes.Validation] = (StatusCodes.Status400BadRequest, "The request is not valid."),
        [ErrorCodes.Unauthenticated] = (StatusCodes.Status401Unauthorized, "Authentication is required."),
        [ErrorCodes.Forbidden] = (StatusCodes.Status403Forbidden, "The caller may not do this."),
        [ErrorCodes.TenantMismatch] = (StatusCodes.Status403Forbidden, "The request names another tenant."),
        [ErrorCodes.NotFound] = (StatusCodes.Status404NotFound, "Not found."),
        [ErrorCodes.Conflict] = (StatusCodes.Status409Conflict, "Conflict."),
        [ErrorCodes.QuotaExceeded] = (StatusCodes.Status409Conflict, "The tenant's quota would be exceeded."),
        [ErrorCodes.InvalidStateTransition] = (StatusCodes.Status409Conflict, "The resource's state does not allow this."),
        [ErrorCodes.PreconditionFailed] = (StatusCodes.Status412PreconditionFailed, "The resource changed since it was read."),
        [ApiErrorCodes.PayloadTooLarge] = (StatusCodes.Status413PayloadTooLarge, "The request body is too large."),
        [ApiErrorCodes.RateLimited] = (StatusCodes.Status429TooManyRequests, "Too many requests; retry later."),
        [ErrorCodes.NoCapacity] = (StatusCodes.Status503ServiceUnavailable, "No host has capacity for this."),
        [ErrorCodes.Unavailable] = (StatusCodes.Status503ServiceUnavailable, "The service is unavailable; retry later."),
        [ErrorCodes.Internal] = (StatusCodes.Status500InternalServerError, "An unexpected error occurred."),
    };

    /// <summary>Every code a problem body may carry: the OpenAPI document lists them as the enum of <c>code</c>.</summary>
    public static IEnumerable<string> Codes => Table.Keys;

    public static int For(string code) => Table.TryGetValue(code, out var entry) ? entry.Status : StatusCodes.Status500InternalServerError;

    public static string TitleFor(string code) => Table.TryGetValue(code, out var entry) ? entry.Title : "Error.";
}
