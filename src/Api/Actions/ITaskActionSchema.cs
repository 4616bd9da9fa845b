using System.Text.Json;
using Microsoft.OpenApi;
using OrleansCloud.Api.Images;
using OrleansCloud.Tasks;

namespace OrleansCloud.Api.Actions;

/// <summary>
/// The API's part of one action: the permission it needs, whether it takes a target, how its
/// <c>data</c> is validated and enriched into the typed payload, and the JSON schema of that data for
/// the OpenAPI document. Found by name in <see cref="TaskActionSchemas"/>.
/// </summary>
public interface ITaskActionSchema
{
    string Name { get; }

    /// <summary>The permission (vm.add, vm.edit, ...) the caller needs in the tenant.</summary>
    string Permission { get; }

    /// <summary>The kind of the target the action needs ("vm"), or null when it takes none.</summary>
    string? TargetKind { get; }

    /// <summary>
    /// Validates <c>data</c> (null when absent) and fills in defaults. The only I/O is through
    /// <paramref name="images"/> (vm.create takes its image's defaults); every rule stays testable with an
    /// in-memory catalogue.
    /// </summary>
    Task<Result<TaskPayload>> Parse(JsonElement? data, IImageCatalogue images);

    /// <summary>The schema of <c>data</c>: field types, bounds and defaults.</summary>
    OpenApiSchema DataSchema();
}
