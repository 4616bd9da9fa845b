using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace OrleansCloud.Api.Actions.Shared;

/// <summary>Small builders for the JSON schemas of action data in the OpenAPI document.</summary>
public static class DataSchemas
{
    public static OpenApiSchema Object(string description, params (string Name, OpenApiSchema Schema, bool Required)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        AdditionalPropertiesAllowed = false,
        Properties = properties.ToDictionary(p => p.Name, p => (IOpenApiSchema)p.Schema),
        Required = properties.Where(p => p.Required).Select(p => p.Name).ToHashSet(),
    };

    public static OpenApiSchema Integer(string description, long min, long max, long? defaultValue = null) => new()
    {
        Type = JsonSchemaType.Integer,
        Format = max <= int.MaxValue ? "int32" : "int64",
        Description = description,
        Minimum = min.ToString(CultureInfo.InvariantCulture),
        Maximum = max.ToString(CultureInfo.InvariantCulture),
        Default = defaultValue is { } d ? JsonValue.Create(d) : null,
    };

    public static OpenApiSchema String(string description, string? pattern = null, int? maxLength = null, string? defaultValue = null) => new()
    {
        Type = JsonSchemaType.String,
        Description = description,
        Pattern = pattern,
        MaxLength = maxLength,
        Default = defaultValue is null ? null : JsonValue.Create(defaultValue),
    };

    /// <summary>A list of distinct strings of one pattern.</summary>
    public static OpenApiSchema StringArray(string description, string pattern, int maxItems) => new()
    {
        Type = JsonSchemaType.Array,
        Description = description,
        Items = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = pattern },
        MinItems = 1,
        MaxItems = maxItems,
        UniqueItems = true,
    };

    public static OpenApiSchema Boolean(string description, bool defaultValue = false) => new()
    {
        Type = JsonSchemaType.Boolean,
        Description = description,
        Default = JsonValue.Create(defaultValue),
    };

    /// <summary>A size: a number of MB, or a string with a unit ("512MB", "2GB", "1TB").</summary>
    public static OpenApiSchema Size(string description, long minMb, long maxMb, string? defaultValue = null) => new()
    {
        Description = $"{description} A number of MB ({minMb.ToString(CultureInfo.InvariantCulture)}-{maxMb.ToString(CultureInfo.InvariantCulture)}) or a string with a unit such as \"512MB\" or \"2GB\".",
        OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = minMb.ToString(CultureInfo.InvariantCulture), Maximum = maxMb.ToString(CultureInfo.InvariantCulture) },
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9]+(\\.[0-9]+)?\\s*(MB|GB|TB|M|G|T|MiB|GiB|TiB)?$" },
        ],
        Default = defaultValue is null ? null : JsonValue.Create(defaultValue),
    };

    /// <summary>The schema of an action that takes no data.</summary>
    public static OpenApiSchema None(string action) => Object($"{action} takes no data: omit it or send an empty object.");
}
