using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace OrleansCloud.Api.Errors;

/// <summary>Turns expected errors into <c>application/problem+json</c> answers with a <c>code</c>.</summary>
public static class Problems
{
    public static ProblemHttpResult From(Error error, HttpContext? http = null) =>
        TypedResults.Problem(Details(error, http));

    public static ProblemHttpResult Of(string code, string message, HttpContext? http = null) => From(new Error(code, message), http);

    public static ProblemHttpResult Validation(string field, string message, HttpContext? http = null) =>
        From(Error.Validation(field, message), http);

    public static ProblemDetails Details(Error error, HttpContext? http)
    {
        var details = new ProblemDetails
        {
            Status = ErrorStatus.For(error.Code),
            Title = ErrorStatus.TitleFor(error.Code),
            Detail = error.Message,
        };
        details.Extensions["code"] = error.Code;
        if (error.Fields is { Count: > 0 })
        {
            details.Extensions["errors"] = error.Fields;
        }

        var traceId = Activity.Current?.Id ?? http?.TraceIdentifier;
        if (traceId is not null)
        {
            details.Extensions["traceId"] = traceId;
        }

        return details;
    }

    /// <summary>Writes a problem directly, for places outside an endpoint (auth events, exception handler).</summary>
    public static Task Write(HttpContext http, Error error, int? status = null)
    {
        var details = Details(error, http);
        details.Status = status ?? details.Status;
        http.Response.StatusCode = details.Status!.Value;
        return http.Response.WriteAsJsonAsync(details, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
