using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace OrleansCloud.Hosting;

/// <summary>
/// Log levels every OrleansCloud process starts from, whatever its working directory: the product's own
/// categories at Information, the frameworks' chatter (Orleans' membership and placement, Polly's
/// per-placement retry pipeline, ASP.NET Core's per-request lines) at Warning. They sit under every other
/// configuration source, so <c>appsettings.json</c> or <c>Logging__LogLevel__Orleans=Information</c> still win.
/// </summary>
public static class LoggingDefaults
{
    public static IReadOnlyDictionary<string, string?> Levels { get; } = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Orleans"] = "Warning",

        // Category rules match by prefix, so "Orleans" alone would silence OrleansCloud's own lines too.
        ["Logging:LogLevel:OrleansCloud"] = "Information",
        ["Logging:LogLevel:Polly"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
    };

    public static void AddOrleansCloudLoggingDefaults(this IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
}
