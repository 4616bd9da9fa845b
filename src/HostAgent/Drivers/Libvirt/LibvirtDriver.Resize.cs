using System.Globalization;
using System.Text.Json.Nodes;
using OrleansCloud.HostAgent.Commands;
using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.Drivers.Libvirt;

public sealed partial class LibvirtDriver : IHostOperationHandler<ResizeVm>
{
    /// <summary>
    /// Gives a shut-off domain a new size in its persistent definition: vCPUs (<c>virsh setvcpus
    /// --config [--maximum]</c>), memory (<c>virsh setmaxmem</c>/<c>setmem --config</c>) and a disk
    /// that only grows (<c>qemu-img resize</c>, never below the current virtual size). Each pair is
    /// set in the order libvirt accepts: the maximum first when growing, the current value first when
    /// shrinking. Setting what is there already changes nothing, so repeating the operation is harmless.
    /// A running domain is refused (<see cref="ErrorCodes.InvalidStateTransition"/>): the resize is cold.
    /// </summary>
    public Task<HostOperationResult> ExecuteAsync(string hostName, ResizeVm operation, CancellationToken cancellationToken) =>
        Run(operation, (logs, ct) => Resize(operation, logs, ct), cancellationToken);

    private async Task<HostOperationResult> Resize(ResizeVm operation, List<string> logs, CancellationToken ct)
    {
        var vmId = operation.VmId;
        if (operation.Cpu is < VmLimits.MinCpu or > VmLimits.MaxCpu
            || operation.RamMb is < VmLimits.MinRamMb or > VmLimits.MaxRamMb
            || operation.DiskGb is < VmLimits.MinDiskGb or > VmLimits.MaxDiskGb)
        {
            return HostOperationResult.Failure(operation.OperationId, ErrorCodes.Validation,
                $"{operation.Cpu} vcpu, {operation.RamMb} MB, {operation.DiskGb} GB is outside the VM limits", false, logs);
        }

        switch (await StateAsync(vmId, ct))
        {
            case null:
                return HostOperationResult.Failure(operation.OperationId, ErrorCodes.NotFound, $"{vmId} is not defined", false, logs);
            case not "shut off" and var state:
                return HostOperationResult.Failure(operation.OperationId, ErrorCodes.InvalidStateTransition,
                    $"{vmId} is {state}; it must be shut off to be resized", false, logs);
        }

        var cpu = operation.Cpu.ToString(CultureInfo.InvariantCulture);
        var maxCpu = int.Parse((await Virsh(ct, "vcpucount", vmId, "--maximum", "--config")).StandardOutput.Trim(), CultureInfo.InvariantCulture);
        string[] setMaxCpu = ["setvcpus", vmId, cpu, "--config", "--maximum"];
        string[] setCpu = ["setvcpus", vmId, cpu, "--config"];
        foreach (var arguments in operation.Cpu >= maxCpu ? new[] { setMaxCpu, setCpu } : [setCpu, setMaxCpu])
        {
            logs.AddRange((await Virsh(ct, arguments)).LogLines());
        }

        var memory = operation.RamMb.ToString(CultureInfo.InvariantCulture) + "M";
        var maxMemoryKib = MaxMemoryKib(Fields((await Virsh(ct, "dominfo", vmId)).StandardOutput));
        string[] setMaxMemory = ["setmaxmem", vmId, memory, "--config"];
        string[] setMemory = ["setmem", vmId, memory, "--config"];
        foreach (var arguments in operation.RamMb * 1024 >= maxMemoryKib ? new[] { setMaxMemory, setMemory } : [setMemory, setMaxMemory])
        {
            logs.AddRange((await Virsh(ct, arguments)).LogLines());
        }

        var disk = DiskPath(vmId);
        var info = await commands.RunCheckedAsync(Options.QemuImg, ["info", "--output=json", "-f", "qcow2", disk], ct);
        var virtualSize = JsonNode.Parse(info.StandardOutput)?["virtual-size"]?.GetValue<long>()
            ?? throw new CommandFailedException(info with { ExitCode = -1, StandardError = "qemu-img info reported no virtual-size" });
        var wanted = operation.DiskGb * 1024L * 1024 * 1024;
        if (wanted > virtualSize)
        {
            logs.AddRange((await commands.RunCheckedAsync(Options.QemuImg, ["resize", "-f", "qcow2", disk, $"{operation.DiskGb}G"], ct)).LogLines());
        }
        else
        {
            logs.Add($"libvirt: the disk of {vmId} is {virtualSize / (1024 * 1024 * 1024.0):0.##} GB already; a disk never shrinks");
        }

        logs.Add($"libvirt: {vmId} resized to {operation.Cpu} vcpu, {operation.RamMb} MB, at least {operation.DiskGb} GB");
        return HostOperationResult.Success(operation.OperationId, logs);
    }

    /// <summary>"Max memory: 131072 KiB" of virsh dominfo, in KiB.</summary>
    private static long MaxMemoryKib(Dictionary<string, string> dominfo) =>
        long.Parse(dominfo["Max memory"].Split(' ')[0], CultureInfo.InvariantCulture);
}
