using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OrleansCloud.Api.Errors;

/// <summary>
/// Adds the one problem body every error answer has, as the component <c>Problem</c>: RFC 9457 members,
/// <c>code</c> as an enum of every error code, <c>errors</c> (field to messages) and <c>traceId</c>, so a
/// generated client can switch on the code.
/// </summary>
public sealed class ProblemSchemaTransformer : IOpenApiDocumentTransformer
{
    public const string SchemaId = "Problem";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[SchemaId] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An error (application/problem+json, RFC 9457) with the code that says what went wrong.",
            Required = new HashSet<string> { "code", "status", "title" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["code"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "The error code; the HTTP status follows from it.",
                    Enum = [.. ErrorStatus.Codes.Order(StringComparer.Ordinal).Select(code => (JsonNode)JsonValue.Create(code)!)],
                },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = $"ERR_VALIDATION: the fields at fault and what is wrong with each (at most {Problems.MaxFields} fields).",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Names the request in the server's logs." },
            },
        };
        return Task.CompletedTask;
    }
}
