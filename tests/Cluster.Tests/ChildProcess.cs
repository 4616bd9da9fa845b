using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OrleansCloud.Cluster.Tests;

/// <summary>
/// One OrleansCloud process (silo, API, host agent) started with <c>dotnet</c>, its output kept for
/// assertions. <see cref="Kill"/> is a real SIGKILL: no shutdown code runs.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    private Process? _process;

    private readonly object _logLock = new();

    public ChildProcess(string name, string dll, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        Name = name;
        Dll = dll;
        Environment = environment;
        LogDirectory = logDirectory;
        Directory.CreateDirectory(logDirectory);
    }

    /// <summary>Every line the process wrote also goes to {LogDirectory}/{Name}.log, for diagnosing a failed run.</summary>
    public string LogDirectory { get; }

    public string Name { get; }

    public string Dll { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public bool IsRunning => _process is { HasExited: false };

    public IEnumerable<string> Output => _lines;

    /// <summary>
    /// Started again a second after it exits on its own with a failure, as systemd's Restart=on-failure
    /// does: an Orleans silo that the cluster declared dead (e.g. its probes timed out on a starved
    /// machine) ends itself by design and counts on its supervisor. Kill, Stop and Dispose are not restarted.
    /// </summary>
    public bool RestartOnFailure { get; init; }

    /// <summary>How many times the supervisor (<see cref="RestartOnFailure"/>) started it again.</summary>
    public int Restarts => _restarts;

    private int _restarts;
    private volatile bool _ended;

    public void Start()
    {
        _ended = false;
        if (!File.Exists(Dll))
        {
            throw new FileNotFoundException($"{Name}: build the solution first ({Dll} is missing)", Dll);
        }

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Dll)!,
        };
        info.ArgumentList.Add(Dll);
        foreach (var (key, value) in Environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Exited += (_, _) =>
        {
            var code = ExitCodeOf(process);
            Keep($"--- {Name} exited with code {code}");
            if (RestartOnFailure && !_ended && code != "0")
            {
                _ = Task.Delay(1_000).ContinueWith(_ =>
                {
                    if (!_ended)
                    {
                        Interlocked.Increment(ref _restarts);
                        Keep($"--- {Name} restarted by its supervisor after exit code {code}");
                        Start();
                    }
                }, TaskScheduler.Default);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Keep($"--- {Name} started, pid {process.Id}");
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would do it.</summary>
    public void Kill()
    {
        _ended = true;
        if (_process is { HasExited: false } process)
        {
            Keep($"--- {Name} killed (SIGKILL)");
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM, and a bounded wait for the graceful shutdown.</summary>
    public void Stop()
    {
        _ended = true;
        if (_process is { HasExited: false } process)
        {
            Keep($"--- {Name} stopping (SIGTERM)");
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit(5_000);
            }

            if (!process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>SIGSTOP: the process is frozen (as by a long GC pause or a stalled VM); its sockets stay open.</summary>
    public void Pause() => Signal("STOP", "paused (SIGSTOP)");

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal("CONT", "resumed (SIGCONT)");

    public int Count(Regex pattern) => _lines.Count(pattern.IsMatch);

    public string Tail(int lines = 40) => string.Join('\n', _lines.TakeLast(lines));

    /// <summary>
    /// What a failed wait prints: the last lines, and, when the process crashed, the first lines of the
    /// crash (the exception's type and message come before a stack that can be longer than any tail).
    /// </summary>
    public string Diagnosis(int lines = 20)
    {
        var all = _lines.ToArray();
        var crash = Array.FindIndex(all, l => l.StartsWith("Unhandled exception", StringComparison.Ordinal));
        var head = crash < 0 ? "" : string.Join('\n', all.Skip(crash).Take(8)) + "\n...\n";
        return head + string.Join('\n', all.TakeLast(lines)) + (IsRunning ? "" : "\n(not running)");
    }

    private static string ExitCodeOf(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    private void Signal(string signal, string what)
    {
        if (_process is { HasExited: false } process)
        {
            Keep($"--- {Name} {what}");
            using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit(5_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
            lock (_logLock)
            {
                File.AppendAllText(Path.Combine(LogDirectory, Name + ".log"), line + "\n");
            }
        }
    }
}
