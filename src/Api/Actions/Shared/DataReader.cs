using System.Globalization;
using System.Text.Json;
using OrleansCloud.Api.Tasks;
using OrleansCloud.Tasks;

namespace OrleansCloud.Api.Actions.Shared;

/// <summary>
/// Reads the fields of a task's <c>data</c> object, collecting every problem by field
/// (<c>data.cpu</c>) instead of stopping at the first, and refusing fields the action does not know.
/// </summary>
public sealed class DataReader
{
    private readonly JsonElement _body;

    private DataReader(JsonElement body) => _body = body;

    public Dictionary<string, string[]> Errors { get; } = [];

    /// <summary>A reader of <paramref name="data"/>; an absent data is an empty object, any other non-object an error.</summary>
    public static DataReader Of(JsonElement? data, string action, IReadOnlySet<string> known)
    {
        var body = data is { ValueKind: not JsonValueKind.Null } given ? given : EmptyObject;
        if (body.ValueKind != JsonValueKind.Object)
        {
            // Read nothing from it, but keep the refusal.
            var refused = new DataReader(EmptyObject);
            refused.Errors["data"] = [$"{action} needs a data object"];
            return refused;
        }

        var reader = new DataReader(body);

        foreach (var property in body.EnumerateObject().Where(p => !known.Contains(p.Name)))
        {
            reader.Errors[$"data.{property.Name}"] = [$"is not a field of {action}"];
        }

        return reader;
    }

    private static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement;

    public string? String(string field, bool required = false)
    {
        if (!_body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Errors[$"data.{field}"] = ["is required"];
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Errors[$"data.{field}"] = ["must be a string"];
            return null;
        }

        return value.GetString();
    }

    public int? Int(string field, int min, int max)
    {
        if (!_body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            Errors[$"data.{field}"] = ["must be a whole number"];
            return null;
        }

        if (number < min || number > max)
        {
            Errors[$"data.{field}"] = [string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}")];
            return null;
        }

        return number;
    }

    public bool? Bool(string field)
    {
        if (!_body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Errors[$"data.{field}"] = ["must be true or false"];
            return null;
        }

        return value.GetBoolean();
    }

    /// <summary>A size in MB: a number of MB or a string with a unit ("512MB", "2GB").</summary>
    public long? SizeMb(string field)
    {
        if (!_body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var mb = SizeParser.ToMegabytes(value);
        if (mb is null)
        {
            Errors[$"data.{field}"] = ["must be a number of MB or a size with a unit such as \"512MB\" or \"2GB\""];
        }

        return mb;
    }

    /// <summary>A disk size in whole GB (rounded up) from a size in MB.</summary>
    public long? SizeGb(string field) => SizeMb(field) is { } mb ? (long)Math.Ceiling(mb / 1024m) : null;

    public JsonElement? Raw(string field) =>
        _body.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public Result<TaskPayload> Result(Func<TaskPayload> payload) =>
        Errors.Count > 0 ? Error.Validation(Errors) : payload();
}
