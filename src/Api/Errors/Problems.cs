using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace OrleansCloud.Api.Errors;

/// <summary>Turns expected errors into <c>application/problem+json</c> answers with a <c>code</c>.</summary>
public static class Problems
{
    /// <summary>At most this many entries in <c>errors</c>; the rest are summed up in one more entry.</summary>
    public const int MaxFields = 20;

    /// <summary>Field names, messages and the detail are cut to these lengths, so an answer stays a few KiB whatever came in.</summary>
    public const int MaxFieldNameLength = 100;
    public const int MaxMessageLength = 300;

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
            Detail = Cut(error.Message, MaxMessageLength),
        };
        details.Extensions["code"] = error.Code;
        if (error.Fields is { Count: > 0 })
        {
            details.Extensions["errors"] = Bounded(error.Fields);
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

    private static Dictionary<string, string[]> Bounded(IReadOnlyDictionary<string, string[]> fields)
    {
        var bounded = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (field, messages) in fields.Take(MaxFields))
        {
            bounded[Cut(field, MaxFieldNameLength)] = [.. messages.Take(3).Select(m => Cut(m, MaxMessageLength))];
        }

        if (fields.Count > MaxFields)
        {
            bounded["..."] = [$"{fields.Count - MaxFields} more fields were refused"];
        }

        return bounded;
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "…");
}
