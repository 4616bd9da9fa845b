using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansCloud.Api;

public static class ApiJson
{
    /// <summary>
    /// camelCase, enums as camelCase strings, unknown members refused (a typo must not pass silently), and
    /// numbers only as JSON numbers: the web defaults would take <c>"8"</c> for an integer field.
    /// </summary>
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        if (!options.Converters.OfType<JsonStringEnumConverter>().Any())
        {
            options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        }

        return options;
    }
}
