using OrleansCloud.Tasks;

namespace OrleansCloud.Actions.VmDetachInterface;

/// <summary>vm.detachInterface: removes the VM's interface on the tenant network named <see cref="Network"/>.</summary>
[GenerateSerializer, Immutable, Alias("oc.VmDetachInterfacePayload")]
public sealed record VmDetachInterfacePayload([property: Id(0)] string Network) : TaskPayload
{
    public const string Action = "vm.detachInterface";
}
