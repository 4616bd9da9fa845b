using Microsoft.AspNetCore.Identity;
using OrleansCloud.Api.Errors;
using OrleansCloud.Users;

namespace OrleansCloud.Api.Auth;

public static partial class AuthEndpoints
{
    /// <summary>A user name and a password fit in far less; a larger body is 413.</summary>
    public const long MaxTokenRequestBytes = 16 * 1024;

    public static RouteGroupBuilder MapAuthEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("Auth").AllowAnonymous().ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("/token", IssueToken)
            .WithName("IssueToken")
            .WithSummary("Exchange a user name and password for a bearer token. Failed attempts are throttled per user name and per address (429).")
            .Accepts<TokenRequest>("application/json")
            .WithMetadata(new BodySizeLimit(MaxTokenRequestBytes))
            .RequireRateLimiting(ApiRateLimiting.LoginPolicy)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return api;
    }

    public static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueToken(
        HttpContext http, TokenIssuer issuer, Passwords passwords, LoginThrottle throttle, IGrainFactory grains,
        ILogger<TokenIssuer> logger, CancellationToken cancellationToken)
    {
        var body = await JsonBody.Read<TokenRequest>(http, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error, http);
        }

        var (username, password) = (body.Value.Username ?? "", body.Value.Password ?? "");
        if (username.Length == 0 || password.Length == 0)
        {
            return Problems.From(Error.Validation(new Dictionary<string, string[]>
            {
                ["username"] = ["required"],
                ["password"] = ["required"],
            }), http);
        }

        var signedIn = await SignIn(username, password, http, issuer, passwords, throttle, grains, logger);
        return signedIn.IsSuccess ? TypedResults.Ok(signedIn.Value) : Problems.From(signedIn.Error, http);
    }

    /// <summary>
    /// Checks a user name and password and issues a token: the one sign-in path (the token route and the
    /// dashboard's sign-in form). Throttled per user name and per address; a refusal sets Retry-After.
    /// </summary>
    public static async Task<Result<TokenResponse>> SignIn(
        string username, string password, HttpContext http, TokenIssuer issuer, Passwords passwords, LoginThrottle throttle, IGrainFactory grains,
        ILogger<TokenIssuer> logger)
    {
        var address = ApiRateLimiting.AddressOf(http);
        if (throttle.Refusal(username, address) is { } retryAfter)
        {
            LogThrottled(logger, address);
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new Error(ApiErrorCodes.RateLimited, "Too many failed sign-ins for this user name or from this address; retry later.");
        }

        // One hash verification on every path (administrator, user, unknown name), so timing tells nothing.
        if (passwords.IsAdmin(username))
        {
            if (passwords.VerifyAdmin(password))
            {
                return new TokenResponse(issuer.Issue(username, admin: true, []), "Bearer", issuer.LifetimeSeconds);
            }
        }
        else
        {
            var user = Names.IsValid(username) ? grains.Ref<IUserGrain>(username) : null;
            var stored = user is null ? null : await user.GetPasswordHash();
            var verified = passwords.Verify(stored, password);
            if (verified != PasswordVerificationResult.Failed && await user!.Get() is { IsSuccess: true } found)
            {
                if (verified == PasswordVerificationResult.SuccessRehashNeeded)
                {
                    await user.ReplacePasswordHash(stored!, passwords.Hash(password));
                }

                return new TokenResponse(issuer.Issue(username, admin: false, found.Value.Memberships), "Bearer", issuer.LifetimeSeconds);
            }
        }

        throttle.Failed(username, address);
        return new Error(ErrorCodes.Unauthenticated, "Unknown user name or wrong password.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in throttled for a user name or the address {Address}")]
    private static partial void LogThrottled(ILogger logger, string address);
}
