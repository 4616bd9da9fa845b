using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OrleansCloud.HostAgent.Drivers.Domains;

namespace OrleansCloud.HostAgent.LocalApi;

/// <summary>Errors of the local API: application/problem+json with a <c>code</c>, as on the control plane's API.</summary>
public static class LocalProblems
{
    public static ProblemHttpResult Of(int status, string code, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var problem = new ProblemDetails { Status = status, Title = TitleFor(status), Detail = detail };
        problem.Extensions["code"] = code;
        if (errors is { Count: > 0 })
        {
            problem.Extensions["errors"] = errors;
        }

        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Invalid(string field, string message) =>
        Of(StatusCodes.Status400BadRequest, ErrorCodes.Validation, "The request is not valid.", new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        Of(StatusCodes.Status400BadRequest, ErrorCodes.Validation, "The request is not valid.", errors);

    public static ProblemHttpResult NotFound(string what) => Of(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"{what} was not found.");

    public static ProblemHttpResult Conflict(string detail) => Of(StatusCodes.Status409Conflict, ErrorCodes.Conflict, detail);

    public static ProblemHttpResult Failed(string detail, IReadOnlyList<string> logs)
    {
        var problem = Of(StatusCodes.Status502BadGateway, ErrorCodes.HostOperationFailed, detail);
        problem.ProblemDetails.Extensions["logs"] = logs;
        return problem;
    }

    /// <summary>A driver's refusal or failure as the contract's status.</summary>
    public static ProblemHttpResult From(DriverOutcome outcome, string what) => outcome.Kind switch
    {
        DriverOutcomeKind.NotFound => NotFound(what),
        DriverOutcomeKind.Conflict => Conflict(outcome.Message ?? $"{what} already exists."),
        DriverOutcomeKind.Invalid => Invalid(outcome.Field ?? "body", outcome.Message ?? "is not valid"),
        _ => Failed(outcome.Message ?? $"{what}: the hypervisor operation failed", outcome.Logs),
    };

    private static string TitleFor(int status) => status switch
    {
        400 => "The request is not valid.",
        401 => "Authentication is required.",
        404 => "Not found.",
        405 => "Method not allowed.",
        409 => "Conflict.",
        _ => "The hypervisor operation failed.",
    };
}
