using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OrleansCloud.Api.Errors;

/// <summary>
/// Lists every error an operation can really answer, each with the <c>Problem</c> body: what its group
/// declares, plus what the edge adds to every route: 401 and 403 where a token is needed, 404 for a
/// malformed id in the path, 400 and 413 where a body is read, 400 where a query is bound, 409 on routes
/// that replay an <c>Idempotency-Key</c>, 414 for an over-long URL and 429 from the rate limits.
/// </summary>
public sealed class ProblemResponsesTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        if (description.RelativePath?.StartsWith(ApiHostingExtensions.RoutePrefix.TrimStart('/'), StringComparison.Ordinal) != true)
        {
            return Task.CompletedTask;
        }

        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = description.HttpMethod ?? "";
        var statuses = new SortedSet<int> { StatusCodes.Status414UriTooLong, StatusCodes.Status429TooManyRequests, StatusCodes.Status500InternalServerError };
        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            statuses.UnionWith([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden]);
        }

        if (description.RelativePath.Contains('{', StringComparison.Ordinal))
        {
            statuses.Add(StatusCodes.Status404NotFound);
        }

        if (HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method))
        {
            statuses.UnionWith([StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge]);
        }

        if (description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Query))
        {
            statuses.Add(StatusCodes.Status400BadRequest);
        }

        if (metadata.OfType<IdempotentRoute>().Any())
        {
            statuses.Add(StatusCodes.Status409Conflict);
        }

        operation.Responses ??= new OpenApiResponses();
        foreach (var status in statuses)
        {
            var key = status.ToString(CultureInfo.InvariantCulture);
            if (!operation.Responses.ContainsKey(key))
            {
                operation.Responses[key] = new OpenApiResponse { Description = ReasonFor(status) };
            }
        }

        foreach (var (key, response) in operation.Responses.ToList())
        {
            if (int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status >= 400)
            {
                operation.Responses[key] = new OpenApiResponse
                {
                    Description = string.IsNullOrEmpty(response.Description) ? ReasonFor(status) : response.Description,
                    Headers = status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable
                        ? new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before retrying.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } } }
                        : response.Headers,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchemaTransformer.SchemaId, context.Document) },
                    },
                };
            }
        }

        return Task.CompletedTask;
    }

    private static string ReasonFor(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}
