using System.Diagnostics;

namespace OrleansCloud.Cluster.Tests;

/// <summary>Makes a CA and certificates with the project's own script, deploy/certs.sh (openssl).</summary>
public static class Certificates
{
    public static void Make(string directory, params string[] names)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(Repo.Root, "deploy", "certs.sh"), directory }.Concat(names))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy/certs.sh failed: {error.Result}");
        }
    }
}
