using OrleansCloud.Api.Errors;
using OrleansCloud.Users;

namespace OrleansCloud.Api.Auth;

public static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("Auth").AllowAnonymous().ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("/token", IssueToken)
            .WithName("IssueToken")
            .WithSummary("Exchange a user name and password for a bearer token.")
            .Accepts<TokenRequest>("application/json");
        return api;
    }

    public static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueToken(
        HttpContext http, AuthOptions options, TokenIssuer issuer, IGrainFactory grains, CancellationToken cancellationToken)
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

        if (PasswordHasher.SecretEquals(username, options.AdminUser) && PasswordHasher.SecretEquals(password, options.AdminPassword))
        {
            return TypedResults.Ok(new TokenResponse(issuer.Issue(username, admin: true, []), "Bearer", issuer.LifetimeSeconds));
        }

        if (Names.IsValid(username))
        {
            var user = grains.GetGrain<IUserGrain>(username);
            if (PasswordHasher.Verify(password, await user.GetPasswordHash()) && await user.Get() is { IsSuccess: true } found)
            {
                return TypedResults.Ok(new TokenResponse(issuer.Issue(username, admin: false, found.Value.Memberships), "Bearer", issuer.LifetimeSeconds));
            }
        }

        return Problems.Of(ErrorCodes.Unauthenticated, "Unknown user name or wrong password.", http);
    }
}
