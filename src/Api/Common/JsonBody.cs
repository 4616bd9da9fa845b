using System.Text.Json;

namespace OrleansCloud.Api;

/// <summary>Reads request bodies so that malformed JSON becomes ERR_VALIDATION, never a bare 400.</summary>
public static class JsonBody
{
    public static async Task<Result<T>> Read<T>(HttpContext http, CancellationToken cancellationToken)
    {
        var element = await ReadElement(http, cancellationToken);
        if (!element.IsSuccess)
        {
            return element.Error;
        }

        if (element.Value.ValueKind != JsonValueKind.Object)
        {
            return Error.Validation("body", "must be a JSON object");
        }

        try
        {
            var value = element.Value.Deserialize<T>(ApiJson.Options);
            return value is null ? Error.Validation("body", "must be a JSON object") : value;
        }
        catch (JsonException ex)
        {
            return Error.Validation(string.IsNullOrEmpty(ex.Path) ? "body" : ex.Path.TrimStart('$', '.'), "has the wrong type");
        }
    }

    public static async Task<Result<JsonElement>> ReadElement(HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, default, cancellationToken);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return Error.Validation("body", $"is not valid JSON: {ex.Message}");
        }
    }
}
