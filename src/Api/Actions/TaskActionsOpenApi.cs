using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OrleansCloud.Api.Tasks;
using OrleansCloud.Jobs;
using OrleansCloud.Tasks;
using OrleansCloud.Vms;

namespace OrleansCloud.Api.Actions;

/// <summary>
/// Types every action in the OpenAPI document: a <c>{Action}Data</c> schema per action (from its
/// <see cref="ITaskActionSchema"/>), a <c>{Action}Task</c> envelope whose <c>action</c> is that
/// name, and the task routes' body as a <c>oneOf</c> of them discriminated by <c>action</c>, so
/// generated clients build each payload as a typed object. It also turns the wire strings of task,
/// job and step status and of VM state into enums.
/// </summary>
public sealed class TaskActionsOpenApi(TaskActionSchemas actions) : IOpenApiDocumentTransformer
{
    public const string SubmissionSchema = "TaskSubmission";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        var schemas = document.Components.Schemas;
        var mapping = new Dictionary<string, OpenApiSchemaReference>();
        foreach (var action in actions.All)
        {
            var data = DataSchemaName(action.Name);
            var task = TaskSchemaName(action.Name);
            schemas[data] = action.DataSchema();
            schemas[task] = Envelope(action, document);
            mapping[action.Name] = new OpenApiSchemaReference(task, document);
        }

        schemas[SubmissionSchema] = new OpenApiSchema
        {
            Description = "A task: the envelope of every change. `action` names the action and decides the shape of `data`.",
            OneOf = [.. mapping.Values],
            Discriminator = new OpenApiDiscriminator { PropertyName = "action", Mapping = mapping },
        };

        foreach (var operation in Operations(document))
        {
            if (operation.OperationId is "SubmitAdminTask" or "SubmitTenantTask")
            {
                SetBody(operation, new OpenApiSchemaReference(SubmissionSchema, document));
            }
        }

        foreach (var description in context.DescriptionGroups.SelectMany(g => g.Items))
        {
            if (description.ActionDescriptor.EndpointMetadata.OfType<TaskDataBody>().FirstOrDefault() is { } body
                && description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault() is { } name
                && Operations(document).FirstOrDefault(o => o.OperationId == name.EndpointName) is { } operation)
            {
                SetBody(operation, new OpenApiSchemaReference(DataSchemaName(body.Action), document), required: false);
            }
        }

        Enumerate(schemas, nameof(TaskDto), "status", Enum.GetValues<TaskState>().Select(TaskStatuses.Wire));
        Enumerate(schemas, nameof(TaskAcceptedDto), "status", Enum.GetValues<TaskState>().Select(TaskStatuses.Wire));
        Enumerate(schemas, nameof(StepDto), "type", Enum.GetValues<StepType>().Select(t => t.ToString().ToUpperInvariant()));
        Enumerate(schemas, nameof(StepDto), "status", Enum.GetValues<StepStatus>().Select(t => t.ToString().ToUpperInvariant()));
        Enumerate(schemas, "JobDto", "status", Enum.GetValues<JobStatus>().Select(t => t.ToString().ToUpperInvariant()).Append("UNKNOWN"));
        Enumerate(schemas, "VmDto", "state", Enum.GetValues<VmState>().Select(s => JsonNamingPolicy.CamelCase.ConvertName(s.ToString())));
        return Task.CompletedTask;
    }

    public static string DataSchemaName(string action) => Pascal(action) + "Data";

    public static string TaskSchemaName(string action) => Pascal(action) + "Task";

    /// <summary>"vm.create" → "VmCreate".</summary>
    private static string Pascal(string action) =>
        string.Concat(action.Split('.', '-', '_').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static OpenApiSchema Envelope(ITaskActionSchema action, OpenApiDocument document)
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["tenantId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The tenant; optional for a member of one tenant." },
            ["action"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(action.Name)] },
            ["data"] = new OpenApiSchemaReference(DataSchemaName(action.Name), document),
        };
        var required = new HashSet<string> { "action" };
        if (action.TargetKind is { } kind)
        {
            properties["target"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = $"The {kind} the action acts on.",
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["kind"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(kind)] },
                    ["refId"] = new OpenApiSchema { Type = JsonSchemaType.String },
                },
                Required = new HashSet<string> { "kind", "refId" },
            };
            required.Add("target");
        }
        else
        {
            required.Add("data");
        }

        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = $"A {action.Name} task (permission {action.Permission}).",
            Properties = properties,
            Required = required,
        };
    }

    private static IEnumerable<OpenApiOperation> Operations(OpenApiDocument document) =>
        document.Paths?.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []) ?? [];

    private static void SetBody(OpenApiOperation operation, IOpenApiSchema schema, bool required = true) =>
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = required,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = schema } },
        };

    private static void Enumerate(IDictionary<string, IOpenApiSchema> schemas, string schemaName, string property, IEnumerable<string> values)
    {
        if (schemas.TryGetValue(schemaName, out var schema) && schema.Properties?.TryGetValue(property, out var field) == true && field is OpenApiSchema editable)
        {
            editable.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
        }
    }
}
