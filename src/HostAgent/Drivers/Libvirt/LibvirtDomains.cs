using System.Net;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCloud.HostAgent.Commands;
using OrleansCloud.HostAgent.Drivers.Domains;

namespace OrleansCloud.HostAgent.Drivers.Libvirt;

/// <summary>
/// The local API's hosts as libvirt domains, through virsh and qemu-img (argument arrays, never a shell).
/// Disks are <c>{StorageDir}/{name}.{index}.qcow2</c>; an install's kernel and initrd are downloaded to
/// <c>{name}.kernel</c> and <c>{name}.initrd</c> beside them. A failed define removes what it made.
/// </summary>
public sealed partial class LibvirtDomains(ICommandRunner commands, IOptions<LibvirtOptions> options, IHttpClientFactory httpClients, ILogger<LibvirtDomains> logger)
    : IDomainDriver
{
    /// <summary>The named HttpClient that fetches install trees.</summary>
    public const string InstallTreeClient = "install-tree";

    /// <summary>No kernel or initrd is larger; a bigger answer is not one.</summary>
    private const long MaxInstallFileBytes = 1L << 30;

    // One change at a time on this hypervisor: two creates of one name must not both write its disks.
    private readonly SemaphoreSlim _changes = new(1, 1);

    private LibvirtOptions Options => options.Value;

    public string DiskPath(string name, int index) => Path.Combine(Options.StorageDir, $"{name}.{index}.qcow2");

    public async Task<IReadOnlyList<DomainInfo>> ListAsync(CancellationToken cancellationToken) =>
        VirshTables.Domains((await Virsh(cancellationToken, "list", "--all")).StandardOutput);

    public async Task<DomainInfo?> FindAsync(string name, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(d => d.Name == name);

    public Task<DriverOutcome> DefineAsync(DomainDefinition definition, CancellationToken cancellationToken) =>
        Change(definition.Name, "define", async (logs, ct) =>
        {
            if (await FindAsync(definition.Name, ct) is not null)
            {
                return DriverOutcome.Conflict($"domain {definition.Name} exists");
            }

            var undo = new List<Func<Task>>();
            try
            {
                var outcome = await Define(definition, logs, undo, ct);
                if (outcome.Succeeded)
                {
                    return outcome;
                }

                await Undo(undo);
                return outcome;
            }
            catch (Exception ex) when (ex is CommandFailedException or IOException or UnauthorizedAccessException or OperationCanceledException)
            {
                // Undo in reverse order what this attempt made, so a failed define leaves nothing behind.
                await Undo(undo);
                throw;
            }
        }, cancellationToken);

    public Task<DriverOutcome> StartAsync(string name, CancellationToken cancellationToken) =>
        Change(name, "start", async (logs, ct) =>
        {
            var domain = await FindAsync(name, ct);
            if (domain is null)
            {
                return DriverOutcome.NotFound($"no domain {name}");
            }

            if (domain.State == "running")
            {
                logs.Add($"libvirt: {name} is running already");
                return DriverOutcome.Done(logs);
            }

            var definition = XDocument.Parse((await Virsh(ct, "dumpxml", "--inactive", name)).StandardOutput);
            logs.AddRange((await Virsh(ct, "start", name)).LogLines());
            if (StagingDomainXml.IsPendingInstall(definition))
            {
                // This boot runs the installer; the persistent definition now boots the disk from the next start on.
                await DefineXml(StagingDomainXml.AfterInstall(definition), logs, ct);
                logs.Add($"libvirt: {name} boots its installer now and its disk afterwards");
            }

            return DriverOutcome.Done(logs);
        }, cancellationToken);

    public Task<DriverOutcome> DeleteAsync(string name, CancellationToken cancellationToken) =>
        Change(name, "delete", async (logs, ct) =>
        {
            var domain = await FindAsync(name, ct);
            if (domain is null)
            {
                return DriverOutcome.NotFound($"no domain {name}");
            }

            var definition = XDocument.Parse((await Virsh(ct, "dumpxml", "--inactive", name)).StandardOutput);
            if (domain.State != "shut off")
            {
                logs.AddRange((await Virsh(ct, "destroy", name)).LogLines());
            }

            logs.AddRange((await Virsh(ct, "undefine", name, "--nvram")).LogLines());

            // Only files in the storage directory are ours to remove, whatever else the domain names.
            foreach (var file in StagingDomainXml.Files(definition).Where(IsInStorageDir))
            {
                File.Delete(file);
                logs.Add($"libvirt: removed {file}");
            }

            return DriverOutcome.Done(logs);
        }, cancellationToken);

    private async Task<DriverOutcome> Define(DomainDefinition definition, List<string> logs, List<Func<Task>> undo, CancellationToken ct)
    {
        Directory.CreateDirectory(Options.StorageDir);
        InstallFiles? install = null;
        if (definition.Install is { } wanted)
        {
            var fetched = await Download(definition.Name, wanted, logs, undo, ct);
            if (fetched.Problem is not null)
            {
                return fetched.Problem;
            }

            install = fetched.Files;
        }

        var disks = new List<string>();
        for (var i = 0; i < definition.DisksGb.Count; i++)
        {
            var disk = DiskPath(definition.Name, i);

            // A file left by an earlier failed attempt belongs to no domain (this name has none): replace it.
            File.Delete(disk);
            undo.Add(() => Remove(disk));
            logs.AddRange((await commands.RunCheckedAsync(Options.QemuImg, ["create", "-q", "-f", "qcow2", disk, $"{definition.DisksGb[i]}G"], ct)).LogLines());
            disks.Add(disk);
        }

        undo.Add(() => Undefine(definition.Name));
        await DefineXml(StagingDomainXml.Build(definition, Options.EffectiveDomainType, disks, install), logs, ct);
        logs.Add($"libvirt: defined {definition.Name} ({definition.MemoryMb} MB, disks {string.Join(", ", definition.DisksGb.Select(g => $"{g} GB"))}, "
            + $"networks [{string.Join(", ", definition.Networks)}]{(install is null ? "" : $", installs from {install.Location}")})");
        LogDefined(logger, definition.Name, definition.MemoryMb, definition.DisksGb.Count, definition.Networks.Count, install is not null);
        return DriverOutcome.Done(logs);
    }

    private async Task<(InstallFiles? Files, DriverOutcome? Problem)> Download(string name, NetworkInstall install, List<string> logs, List<Func<Task>> undo, CancellationToken ct)
    {
        var client = httpClients.CreateClient(InstallTreeClient);
        var root = InstallTree.Base(install.Location);
        var kernelPath = Path.Combine(Options.StorageDir, name + ".kernel");
        var initrdPath = Path.Combine(Options.StorageDir, name + ".initrd");
        undo.Add(() => Remove(kernelPath));
        undo.Add(() => Remove(initrdPath));
        try
        {
            foreach (var (kernel, initrd) in InstallTree.Layouts)
            {
                if (!await Fetch(client, new Uri(root, kernel), kernelPath, ct))
                {
                    continue;
                }

                if (!await Fetch(client, new Uri(root, initrd), initrdPath, ct))
                {
                    return (null, DriverOutcome.Invalid("location", $"{install.Location} has a kernel at {kernel} but no initrd at {initrd}", logs));
                }

                logs.Add($"libvirt: fetched {new Uri(root, kernel)} and {new Uri(root, initrd)}");
                return (new InstallFiles(install.Location.AbsoluteUri, kernelPath, initrdPath, install.Cmdline), null);
            }

            return (null, DriverOutcome.Invalid("location",
                $"no install kernel under {install.Location} (looked for {string.Join(", ", InstallTree.Layouts.Select(l => l.Kernel))})", logs));
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidDataException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            logs.Add($"install tree: {ex.GetType().Name}: {ex.Message}");
            return (null, DriverOutcome.Invalid("location", $"the install tree at {install.Location} could not be read: {ex.Message}", logs));
        }
    }

    /// <summary>Downloads to <paramref name="path"/>; false when the tree has no such file.</summary>
    private static async Task<bool> Fetch(HttpClient client, Uri uri, string path, CancellationToken ct)
    {
        using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Gone)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await using var file = File.Create(path);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > MaxInstallFileBytes)
            {
                throw new InvalidDataException($"{uri} is larger than {MaxInstallFileBytes} bytes");
            }

            await file.WriteAsync(buffer.AsMemory(0, read), ct);
        }

        return true;
    }

    private async Task DefineXml(XDocument xml, List<string> logs, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"oc-domain-{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(path, xml.ToString(), ct);
        try
        {
            logs.AddRange((await Virsh(ct, "define", path)).LogLines());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Serializes changes, bounds them in time and turns a failed command into an outcome with its stderr.</summary>
    private async Task<DriverOutcome> Change(string name, string verb, Func<List<string>, CancellationToken, Task<DriverOutcome>> change, CancellationToken cancellationToken)
    {
        if (!DomainNames.IsHostName(name))
        {
            return DriverOutcome.Invalid("host", $"'{name}' {DomainNames.HostRule}", []);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.CommandTimeout * 4);
        var logs = new List<string>();
        await _changes.WaitAsync(timeout.Token);
        try
        {
            return await change(logs, timeout.Token);
        }
        catch (CommandFailedException ex)
        {
            logs.AddRange(ex.Result.LogLines());
            LogCommandFailed(logger, ex.Result.CommandLine, ex.Result.ExitCode, verb, name);
            return DriverOutcome.Failed($"{verb} {name}: {Path.GetFileName(ex.Result.Program)} failed (exit {ex.Result.ExitCode}): {ex.Message}", logs);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logs.Add($"{ex.GetType().Name}: {ex.Message}");
            return DriverOutcome.Failed($"{verb} {name}: {ex.Message}", logs);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            logs.Add($"timed out after {Options.CommandTimeout * 4}");
            return DriverOutcome.Failed($"{verb} {name} timed out", logs);
        }
        finally
        {
            _changes.Release();
        }
    }

    private static async Task Undo(List<Func<Task>> undo)
    {
        undo.Reverse();
        foreach (var step in undo)
        {
            await step();
        }

        undo.Clear();
    }

    private async Task Undefine(string name)
    {
        await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "destroy", name], CancellationToken.None);
        await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "undefine", name, "--nvram"], CancellationToken.None);
    }

    private bool IsInStorageDir(string file) =>
        Path.GetFullPath(file).StartsWith(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Options.StorageDir)) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static Task Remove(string path)
    {
        File.Delete(path);
        return Task.CompletedTask;
    }

    private Task<CommandResult> Virsh(CancellationToken ct, params string[] arguments) =>
        commands.RunCheckedAsync(Options.Virsh, ["-c", Options.Uri, .. arguments], ct);

    [LoggerMessage(Level = LogLevel.Information, Message = "Defined domain {Name}: {MemoryMb} MB, {Disks} disks, {Networks} interfaces, network install {Install}")]
    private static partial void LogDefined(ILogger logger, string name, long memoryMb, int disks, int networks, bool install);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{CommandLine} failed with exit code {ExitCode} during {Verb} of {Name}")]
    private static partial void LogCommandFailed(ILogger logger, string commandLine, int exitCode, string verb, string name);
}
