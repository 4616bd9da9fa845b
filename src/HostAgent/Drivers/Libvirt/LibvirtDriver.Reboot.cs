namespace OrleansCloud.HostAgent.Drivers.Libvirt;

public sealed partial class LibvirtDriver : IHostOperationHandler<RebootVm>
{
    /// <summary>
    /// Reboots a running domain. Force is <c>virsh reset</c>, a hard reset at once. Otherwise a cold
    /// reboot: ACPI shutdown, up to <see cref="LibvirtOptions.ShutdownTimeout"/> for "shut off",
    /// <c>virsh destroy</c> if the guest ignored it, then <c>virsh start</c>. Not <c>virsh reboot</c>:
    /// libvirt cannot tell when a guest has finished an in-place ACPI reboot (the domain stays
    /// "running" throughout), so only a cold reboot lets the operation report a reboot that happened.
    /// A domain that is not defined is <see cref="ErrorCodes.NotFound"/>; one that is not running is
    /// <see cref="ErrorCodes.InvalidStateTransition"/>; neither is worth retrying.
    /// </summary>
    public Task<HostOperationResult> ExecuteAsync(string hostName, RebootVm operation, CancellationToken cancellationToken) =>
        Run(operation, (logs, ct) => Reboot(operation, logs, ct), cancellationToken);

    private async Task<HostOperationResult> Reboot(RebootVm operation, List<string> logs, CancellationToken ct)
    {
        var vmId = operation.VmId;
        switch (await StateAsync(vmId, ct))
        {
            case null:
                return HostOperationResult.Failure(operation.OperationId, ErrorCodes.NotFound, $"{vmId} is not defined", false, logs);
            case not "running" and var state:
                return HostOperationResult.Failure(operation.OperationId, ErrorCodes.InvalidStateTransition, $"{vmId} is {state}, not running", false, logs);
        }

        if (operation.Force)
        {
            logs.AddRange((await Virsh(ct, "reset", vmId)).LogLines());
            logs.Add($"libvirt: {vmId} reset");
        }
        else
        {
            await ShutDown(vmId, logs, ct);
            logs.AddRange((await Virsh(ct, "start", vmId)).LogLines());
            logs.Add($"libvirt: {vmId} rebooted (shut down and started again)");
        }

        return HostOperationResult.Success(operation.OperationId, logs, await Addresses(vmId, ct));
    }
}
