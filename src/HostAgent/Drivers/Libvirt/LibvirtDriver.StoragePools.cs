using System.Collections.Concurrent;
using System.Globalization;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using OrleansCloud.HostAgent.Commands;
using OrleansCloud.HostAgent.Hosting;
using OrleansCloud.Images;
using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.Drivers.Libvirt;

/// <summary>
/// Storage pools: the agent keeps a directory pool (<see cref="LibvirtOptions.StoragePool"/>) over its
/// storage directory, reports every active pool of the host (its own first) with its target path, size
/// and free space, and creates a VM's disk in the directory of the pool the control plane granted,
/// backed by the image's file in that pool.
/// </summary>
public sealed partial class LibvirtDriver : IStoragePoolInventory
{
    private const long BytesPerGb = 1024L * 1024 * 1024;

    /// <summary>Target paths of the pools seen, by name: where <see cref="DiskPath"/> looks for a disk outside the storage directory.</summary>
    private readonly ConcurrentDictionary<string, string> _poolPaths = new(StringComparer.Ordinal);

    private volatile bool _poolReady;

    public async Task<IReadOnlyList<StoragePoolInfo>?> ListStoragePoolsAsync(HostDefinition host, CancellationToken cancellationToken)
    {
        if (!_poolReady)
        {
            try
            {
                await EnsureStoragePoolAsync(cancellationToken);
            }
            catch (CommandFailedException ex)
            {
                // Reported without it this time; the next heartbeat tries again.
                LogPoolNotReady(logger, Options.StoragePool, ex.Result.CommandLine, ex.Message);
            }
        }

        var list = await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "pool-list", "--name"], cancellationToken);
        if (!list.Succeeded)
        {
            return null;
        }

        var names = Lines(list.StandardOutput);
        var pools = new List<StoragePoolInfo>(names.Count);
        foreach (var name in names.OrderBy(n => n == Options.StoragePool ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal))
        {
            // A pool may vanish between the list and its info (another client of the daemon): skip it.
            if (await PoolInfoAsync(name, cancellationToken) is { } pool)
            {
                pools.Add(pool);
            }
        }

        return pools;
    }

    /// <summary>
    /// Defines the agent's directory pool over the storage directory when libvirt has no pool of that
    /// name, builds and starts it when it is not running, and marks it autostart. Idempotent.
    /// </summary>
    public async Task EnsureStoragePoolAsync(CancellationToken cancellationToken)
    {
        var name = Options.StoragePool;
        var info = await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "pool-info", name], cancellationToken);
        if (!info.Succeeded)
        {
            Directory.CreateDirectory(Options.StorageDir);
            var defined = await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "pool-define-as", name, "dir", "--target", Options.StorageDir], cancellationToken);
            info = await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "pool-info", name], cancellationToken);
            if (!info.Succeeded)
            {
                // Neither defined by this call nor by a concurrent one.
                throw new CommandFailedException(defined.Succeeded ? info : defined);
            }
        }

        if (Fields(info.StandardOutput).GetValueOrDefault("State") != "running")
        {
            await Virsh(cancellationToken, "pool-build", name);
            var started = await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "pool-start", name], cancellationToken);
            if (!started.Succeeded && !started.StandardError.Contains("already active", StringComparison.OrdinalIgnoreCase))
            {
                throw new CommandFailedException(started);
            }
        }

        await Virsh(cancellationToken, "pool-autostart", name);
        _poolReady = true;
    }

    /// <summary>A pool's size, free space and target path, or null when libvirt has no such pool now.</summary>
    private async Task<StoragePoolInfo?> PoolInfoAsync(string name, CancellationToken cancellationToken)
    {
        var info = await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "pool-info", name, "--bytes"], cancellationToken);
        if (!info.Succeeded || await PoolPathAsync(name, cancellationToken) is not { } path)
        {
            return null;
        }

        var fields = Fields(info.StandardOutput);
        return new StoragePoolInfo(name, path, Gb(fields.GetValueOrDefault("Capacity")), Gb(fields.GetValueOrDefault("Available")));
    }

    /// <summary>The pool's target directory (from its XML, remembered), "" for a pool without one, null when there is no such pool.</summary>
    private async Task<string?> PoolPathAsync(string name, CancellationToken cancellationToken)
    {
        if (_poolPaths.TryGetValue(name, out var known))
        {
            return known;
        }

        var xml = await commands.RunAsync(Options.Virsh, ["-c", Options.Uri, "pool-dumpxml", name], cancellationToken);
        if (!xml.Succeeded)
        {
            return null;
        }

        var path = XDocument.Parse(xml.StandardOutput).Root?.Element("target")?.Element("path")?.Value.Trim() ?? "";
        if (path.Length > 0)
        {
            _poolPaths[name] = path;
        }

        return path;
    }

    private static long Gb(string? bytes) =>
        long.TryParse(bytes?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value / BytesPerGb
            : 0;

    /// <summary>
    /// Where a new VM's disk goes and the qemu-img arguments that make it: in the directory of the spec's
    /// pool (the storage directory when it names none, or one this host lacks), backed by the image's file
    /// in that pool when it is there, else by {ImagesDir}/{imageId}.qcow2, else blank when allowed.
    /// Null arguments with a message: the create must fail for good.
    /// </summary>
    private async Task<(string Disk, IReadOnlyList<string>? Arguments, string Message, string Code)> PlanDiskAsync(string vmId, VmSpec spec, CancellationToken ct)
    {
        var directory = Options.StorageDir;
        if (spec.Pool is { } pool)
        {
            if (!ImageRules.IsFileName(pool))
            {
                return ("", null, $"'{pool}' is not a storage pool name", ErrorCodes.Validation);
            }

            if (await PoolPathAsync(pool, ct) is { Length: > 0 } poolPath)
            {
                directory = poolPath;
            }
        }

        if (spec.ImageFile is { } file && !ImageRules.IsFileName(file))
        {
            return ("", null, $"'{file}' is not an image file name", ErrorCodes.Validation);
        }

        var disk = Path.Combine(directory, vmId + ".qcow2");
        var size = $"{spec.DiskGb}G";
        var inPool = spec.ImageFile is { } name ? Path.Combine(directory, name) : null;
        if (spec.Pool is not null && inPool is not null && File.Exists(inPool))
        {
            return (disk, ["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", inPool, disk, size], $"disk in pool {spec.Pool}, backed by {inPool}", "");
        }

        var image = Path.Combine(Options.ImagesDir, spec.ImageId + ".qcow2");
        if (File.Exists(image))
        {
            return (disk, ["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", image, disk, size], $"disk backed by {image}", "");
        }

        var where = inPool is null ? Options.ImagesDir : $"{inPool} nor {Options.ImagesDir}";
        return Options.AllowBlankDisk
            ? (disk, ["create", "-q", "-f", "qcow2", disk, size], $"image {spec.ImageId} is not in {where}; the VM gets a blank {spec.DiskGb} GB disk", "")
            : (disk, null, $"image {spec.ImageId} is not in {where}", ErrorCodes.NotFound);
    }

    /// <summary>A VM's disk: in the storage directory, else in the directory of a pool seen that holds it.</summary>
    public string DiskPath(string vmId)
    {
        var name = vmId + ".qcow2";
        var inStorage = Path.Combine(Options.StorageDir, name);
        if (File.Exists(inStorage))
        {
            return inStorage;
        }

        foreach (var directory in _poolPaths.Values)
        {
            var inPool = Path.Combine(directory, name);
            if (File.Exists(inPool))
            {
                return inPool;
            }
        }

        return inStorage;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The storage pool {Pool} is not ready ({CommandLine}: {Error}); retrying at the next heartbeat")]
    private static partial void LogPoolNotReady(ILogger logger, string pool, string commandLine, string error);
}
