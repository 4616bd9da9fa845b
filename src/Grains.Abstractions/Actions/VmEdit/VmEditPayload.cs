using OrleansCloud.Tasks;

namespace OrleansCloud.Actions.VmEdit;

/// <summary>vm.edit: the new size; a null field keeps its value. The disk only grows.</summary>
[GenerateSerializer, Immutable, Alias("oc.VmEditPayload")]
public sealed record VmEditPayload(
    [property: Id(0)] int? Cpu,
    [property: Id(1)] long? RamMb,
    [property: Id(2)] long? DiskGb) : TaskPayload
{
    public const string Action = "vm.edit";
}
