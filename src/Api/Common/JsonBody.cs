using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Options;
using OrleansCloud.Api.Errors;

namespace OrleansCloud.Api;

/// <summary>
/// Reads request bodies so that every bad body is a 4xx problem, never a bare 400 or a 500: a body over
/// the route's limit is 413 <c>ERR_PAYLOAD_TOO_LARGE</c>; bytes that are not UTF-8, malformed JSON and
/// strings that cannot be read as text (a lone surrogate escape such as <c>"\udc00"</c>) are 400
/// <c>ERR_VALIDATION</c>. Once a body is through here, no handler meets an undecodable string.
/// </summary>
public static class JsonBody
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

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
            return Error.Validation(string.IsNullOrEmpty(ex.Path) ? "body" : ex.Path.TrimStart('$', '.'), "has the wrong type or is not a known field");
        }
    }

    public static async Task<Result<JsonElement>> ReadElement(HttpContext http, CancellationToken cancellationToken)
    {
        var bytes = await ReadBounded(http, LimitFor(http), cancellationToken);
        if (!bytes.IsSuccess)
        {
            return bytes.Error;
        }

        if (!Utf8.IsValid(bytes.Value))
        {
            return Error.Validation("body", "is not valid UTF-8");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes.Value, DocumentOptions);
            var root = document.RootElement.Clone();
            EnsureReadableStrings(root);
            return root;
        }
        catch (JsonException ex)
        {
            return Error.Validation("body", $"is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})");
        }
        catch (InvalidOperationException)
        {
            return Error.Validation("body", "holds a string that is not valid Unicode text (an unpaired surrogate escape)");
        }
    }

    /// <summary>The route's own limit (<see cref="BodySizeLimit"/>) or the configured default.</summary>
    public static long LimitFor(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<BodySizeLimit>()?.Bytes
        ?? http.RequestServices.GetService<IOptions<ApiLimitsOptions>>()?.Value.MaxRequestBodyBytes
        ?? new ApiLimitsOptions().MaxRequestBodyBytes;

    public static Error TooLarge(long limit) =>
        new(ApiErrorCodes.PayloadTooLarge, $"The request body must be at most {limit} bytes.");

    private static async Task<Result<byte[]>> ReadBounded(HttpContext http, long limit, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var read = await http.Request.Body.ReadAsync(buffer.GetMemory(16 * 1024), cancellationToken);
                if (read == 0)
                {
                    return buffer.WrittenSpan.ToArray();
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > limit)
                {
                    return TooLarge(limit);
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }
        catch (BadHttpRequestException)
        {
            return Error.Validation("body", "could not be read in full");
        }
    }

    /// <summary>Decodes every property name and string once, so an undecodable one fails here rather than in a handler.</summary>
    private static void EnsureReadableStrings(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    EnsureReadableStrings(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    EnsureReadableStrings(item);
                }

                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }
}
