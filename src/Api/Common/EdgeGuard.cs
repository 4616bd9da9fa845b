using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using OrleansCloud.Api.Errors;

namespace OrleansCloud.Api;

/// <summary>
/// Checks what routing found before any handler runs: an id in the path must follow the id rule (blank,
/// padded, over-long or control-laden ids are no resource, 404 <c>ERR_NOT_FOUND</c>), and the server's
/// own body limit is set to the route's, so a body nobody reads cannot be streamed in without end.
/// </summary>
public static partial class EdgeGuard
{
    /// <summary>
    /// The longest path and query the API reads. Kestrel's own request line limit is raised above it (see
    /// <see cref="ApiHostingExtensions"/>) so that a long URL reaches this check and gets a problem body.
    /// </summary>
    public const int MaxUrlLength = 8 * 1024;

    /// <summary>Runs before routing: a URL over <see cref="MaxUrlLength"/> is 414 with a problem body.</summary>
    public static IApplicationBuilder UseOrleansCloudUrlLimit(this IApplicationBuilder app) => app.Use((http, next) =>
        http.Request.Path.Value?.Length + http.Request.QueryString.Value?.Length > MaxUrlLength
            ? Problems.Write(http, Error.Validation("url", $"must be at most {MaxUrlLength} characters"), StatusCodes.Status414UriTooLong)
            : next(http));

    public static IApplicationBuilder UseOrleansCloudEdgeGuard(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var endpoint = http.GetEndpoint();
        if (endpoint is RouteEndpoint route && route.RoutePattern.RawText?.StartsWith(ApiHostingExtensions.RoutePrefix, StringComparison.Ordinal) == true)
        {
            foreach (var parameter in route.RoutePattern.Parameters)
            {
                if (http.Request.RouteValues.TryGetValue(parameter.Name, out var value) && value is string text && !IsId(text))
                {
                    await Problems.Write(http, new Error(ErrorCodes.NotFound,
                        $"No resource has that {parameter.Name}: ids are 1-253 ASCII letters, digits, '.', '_' or '-'."));
                    return;
                }
            }

            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = JsonBody.LimitFor(http);
            }
        }

        await next(http);
    });

    /// <summary>The shape every id in a path has: names, task, job and step ids, host names (dotted), image ids.</summary>
    public static bool IsId(string? text) => text is not null && IdPattern().IsMatch(text);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
