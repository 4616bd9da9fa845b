using OrleansCloud.HostAgent.Commands;

namespace OrleansCloud.HostAgent.Drivers.Libvirt;

/// <remarks>
/// Cold migration assumes the area's storage is shared: <see cref="LibvirtOptions.StorageDir"/> is
/// the same mount on every host of an area, so a VM's disk <c>StorageDir/&lt;vmId&gt;.qcow2</c> (and
/// its seed ISO) has the same path everywhere and never moves. The target defines the domain over
/// the disk it finds; the source then forgets the domain and keeps the files.
/// </remarks>
public sealed partial class LibvirtDriver :
    IHostOperationHandler<ReceiveVm>,
    IHostOperationHandler<ReleaseVm>
{
    /// <summary>The fact a receive reports: "disk" = "shared" (the target uses the source's disk file).</summary>
    public const string DiskFact = "disk";

    public const string SharedDisk = "shared";

    /// <summary>
    /// The target side of a cold migration: defines the domain (not started) over the VM's disk in
    /// the shared storage, rebuilding the seed ISO if it is missing, and reports the fact
    /// <c>disk</c> = <c>shared</c>. A domain already defined is success. Without the disk in the
    /// storage directory the operation fails for good (this driver copies no disks); whatever this
    /// attempt made (seed, definition) is removed again if a later command fails. The disk is never touched.
    /// </summary>
    public Task<HostOperationResult> ExecuteAsync(string hostName, ReceiveVm operation, CancellationToken cancellationToken) =>
        Run(operation, (logs, ct) => Receive(operation, logs, ct), cancellationToken);

    /// <summary>
    /// The source side of a cold migration: destroys the domain if it runs and undefines it; removes
    /// its disk and seed only when <see cref="ReleaseVm.KeepDisks"/> is false (with shared storage the
    /// target uses those very files). A domain that is not there is success.
    /// </summary>
    public Task<HostOperationResult> ExecuteAsync(string hostName, ReleaseVm operation, CancellationToken cancellationToken) =>
        Run(operation, (logs, ct) => Release(operation, logs, ct), cancellationToken);

    private async Task<HostOperationResult> Receive(ReceiveVm operation, List<string> logs, CancellationToken ct)
    {
        var vmId = operation.VmId;
        var spec = operation.Spec;
        var network = NetworkOf(spec);
        if (SpecProblem(spec, network) is { } problem)
        {
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.Validation, problem, false, logs);
        }

        if (await StateAsync(vmId, ct) is { } state)
        {
            logs.Add($"libvirt: {vmId} is defined here already ({state}); nothing to do");
            return HostOperationResult.Success(operation.OperationId, logs).WithFact(DiskFact, SharedDisk);
        }

        var disk = DiskPath(vmId);
        if (!File.Exists(disk))
        {
            logs.Add($"libvirt: {disk} is not in this host's storage");
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.HostOperationFailed,
                $"cold migration of {vmId} from {operation.SourceHost} needs the area's shared storage: its disk {disk} is not on this host", false, logs);
        }

        var made = new List<Func<Task>>();
        try
        {
            var seed = SeedPath(vmId);
            if (!File.Exists(seed))
            {
                made.Add(() => Remove(seed));
                await BuildSeed(vmId, spec, seed, logs, ct);
            }

            made.Add(() => Undefine(vmId));
            await DefineOnNetworks(vmId, spec, operation.OperationId, network, logs, ct);
            logs.Add($"libvirt: {vmId} from {operation.SourceHost} defined over the shared disk {disk} (not started)");
            return HostOperationResult.Success(operation.OperationId, logs).WithFact(DiskFact, SharedDisk);
        }
        catch (Exception ex) when (ex is CommandFailedException or IOException or UnauthorizedAccessException)
        {
            return await Undone(operation, ex, made, logs);
        }
    }

    private async Task<HostOperationResult> Release(ReleaseVm operation, List<string> logs, CancellationToken ct)
    {
        var vmId = operation.VmId;
        var networks = await NetworksOf(vmId, ct);
        switch (await StateAsync(vmId, ct))
        {
            case null:
                logs.Add($"libvirt: {vmId} is not defined here; nothing to undefine");
                break;
            case var state:
                if (state != "shut off")
                {
                    logs.AddRange((await Virsh(ct, "destroy", vmId)).LogLines());
                }

                logs.AddRange((await Virsh(ct, "undefine", vmId, "--nvram")).LogLines());
                break;
        }

        if (operation.KeepDisks)
        {
            logs.Add($"libvirt: {vmId} released; its disk and seed stay in the shared storage");
        }
        else
        {
            await Remove(DiskPath(vmId));
            await Remove(SeedPath(vmId));
            logs.Add($"libvirt: {vmId} released and its disk and seed removed");
        }

        await ReleaseUnusedNetworks(networks, logs, ct);
        return HostOperationResult.Success(operation.OperationId, logs);
    }
}
