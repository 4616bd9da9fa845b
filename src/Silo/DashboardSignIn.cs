using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using OrleansCloud.Api;
using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Errors;
using OrleansCloud.Common;

namespace OrleansCloud.Silo;

/// <summary>
/// A browser's way into the administrators-only dashboard: a sign-in form that checks the user name
/// and password through the API's one sign-in path (throttled like the token route) and keeps the
/// administrator's token in an HttpOnly, SameSite=Strict cookie scoped to the dashboard. A browser
/// opening the dashboard without a valid token is sent to the form; API clients still get 401.
/// </summary>
public static class DashboardSignIn
{
    public const string Path = "/dashboard-signin";

    /// <summary>A browser opening the dashboard without a valid token is challenged with a redirect to the form.</summary>
    public static void AddDashboardSignIn(this IServiceCollection services) =>
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            var challenge = options.Events.OnChallenge;
            options.Events.OnChallenge = context =>
            {
                if (!IsBrowserOpeningTheDashboard(context.HttpContext))
                {
                    return challenge(context);
                }

                context.HandleResponse();
                context.Response.Redirect(Path);
                return Task.CompletedTask;
            };
        });

    public static WebApplication MapDashboardSignIn(this WebApplication app)
    {
        app.MapGet(Path, (HttpContext http) => Form(http, message: null, StatusCodes.Status200OK))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapPost(Path, SignIn)
            .AllowAnonymous().ExcludeFromDescription().DisableAntiforgery()
            .RequireRateLimiting(ApiRateLimiting.LoginPolicy);
        return app;
    }

    private static async Task<IResult> SignIn(
        HttpContext http, TokenIssuer issuer, Passwords passwords, LoginThrottle throttle, IGrainFactory grains, ILogger<TokenIssuer> logger)
    {
        if (!http.Request.HasFormContentType)
        {
            // Not a browser's form post: answer as the API does.
            return Problems.From(Error.Validation("body", "send the sign-in form (application/x-www-form-urlencoded: username, password); API clients use /api/v1/auth/token"), http);
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var (username, password) = (form["username"].ToString(), form["password"].ToString());
        if (username.Length == 0 || password.Length == 0)
        {
            return Form(http, "A user name and a password are required.", StatusCodes.Status400BadRequest);
        }

        var signedIn = await AuthEndpoints.SignIn(username, password, http, issuer, passwords, throttle, grains, logger);
        if (!signedIn.IsSuccess)
        {
            return signedIn.Error.Code == Api.Errors.ApiErrorCodes.RateLimited
                ? Form(http, "Too many failed sign-ins; wait a little and try again.", StatusCodes.Status429TooManyRequests)
                : Form(http, "Unknown user name or wrong password.", StatusCodes.Status401Unauthorized);
        }

        http.Response.Cookies.Append(ApiHostingExtensions.DashboardCookie, signedIn.Value.AccessToken, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = ApiHostingExtensions.DashboardPath,
            MaxAge = TimeSpan.FromSeconds(signedIn.Value.ExpiresIn),
        });

        // A tenant user's token is no key to the dashboard: the dashboard itself answers 403.
        return Results.Redirect(ApiHostingExtensions.DashboardPath + "/", permanent: false, preserveMethod: false);
    }

    private static bool IsBrowserOpeningTheDashboard(HttpContext http) =>
        HttpMethods.IsGet(http.Request.Method)
        && (http.Request.Path == ApiHostingExtensions.DashboardPath || http.Request.Path == ApiHostingExtensions.DashboardPath + "/")
        && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static IResult Form(HttpContext http, string? message, int status)
    {
        http.Response.Headers.CacheControl = "no-store";
        var error = message is null ? "" : $"<p role=\"alert\">{WebUtility.HtmlEncode(message)}</p>";
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>OrleansCloud dashboard: sign in</title>
            <style>body{font-family:sans-serif;max-width:22rem;margin:4rem auto}label,input,button{display:block;width:100%;margin:.4rem 0}p[role=alert]{color:#b00}</style>
            </head><body>
            <h1>OrleansCloud dashboard</h1>
            <p>Administrators only.</p>
            {{error}}
            <form method="post" action="{{Path}}">
            <label>User name <input name="username" autocomplete="username" required></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">Sign in</button>
            </form>
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }
}
