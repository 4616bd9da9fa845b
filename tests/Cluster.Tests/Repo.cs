using System.Reflection;

namespace OrleansCloud.Cluster.Tests;

/// <summary>Where the repository and the built processes are (recorded at build time).</summary>
public static class Repo
{
    public static string Root { get; } = Metadata("RepoRoot");

    public static string Configuration { get; } = Metadata("BuildConfiguration");

    public static string Dll(string project) =>
        Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", $"OrleansCloud.{project}.dll");

    private static string Metadata(string key) =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"assembly metadata {key} missing");
}
