using System.Diagnostics;

namespace OrleansCloud.Cluster.Tests;

/// <summary>The machine's PostgreSQL, driven through deploy/db.sh (which installs and starts it when missing).</summary>
public static class Postgres
{
    /// <summary>A fresh database with the schema applied; answers its connection string.</summary>
    public static string CreateDatabase(string name) =>
        Run("bash", [Path.Combine(Repo.Root, "deploy", "db.sh"), "--database", name, "--recreate", "--quiet"]).Trim();

    /// <summary>Drops a test database (the end of a fixture).</summary>
    public static void DropDatabase(string name) =>
        Run("bash", [Path.Combine(Repo.Root, "deploy", "db.sh"), "--database", name, "--drop", "--quiet"]);

    /// <summary>Starts the server again (db.sh starts it when it is down).</summary>
    public static void Start(string database) =>
        Run("bash", [Path.Combine(Repo.Root, "deploy", "db.sh"), "--database", database, "--quiet"]);

    /// <summary>A fast shutdown: connections are cut as in a database outage.</summary>
    public static void Stop()
    {
        var version = Directory.GetDirectories("/usr/lib/postgresql").Select(Path.GetFileName).OrderBy(v => int.Parse(v!, System.Globalization.CultureInfo.InvariantCulture)).Last()!;
        Run("pg_ctlcluster", [version, "main", "stop", "-m", "fast"]);
    }

    private static string Run(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(180_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({(process.HasExited ? process.ExitCode : -1)}): {error.Result}");
        }

        return output.Result;
    }
}
