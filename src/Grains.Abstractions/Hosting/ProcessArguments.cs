namespace OrleansCloud.Hosting;

public static class ProcessArguments
{
    private const string ReloadKey = "hostBuilder:reloadConfigOnChange";

    /// <summary>
    /// The command line with configuration reload turned off unless the operator set it. The processes read
    /// their settings once at start (a changed setting takes effect at the next start), and the reload's
    /// file watcher covers the whole content root, the working directory: a profile of a loaded silo run from
    /// the repository showed 5% of its CPU reading file events caused by its own log files.
    /// </summary>
    public static string[] WithoutConfigReload(string[] args) =>
        args.Any(a => a.Contains(ReloadKey, StringComparison.OrdinalIgnoreCase))
        || Environment.GetEnvironmentVariable("DOTNET_" + ReloadKey.Replace(":", "__", StringComparison.Ordinal)) is not null
            ? args
            : [.. args, $"--{ReloadKey}=false"];
}
