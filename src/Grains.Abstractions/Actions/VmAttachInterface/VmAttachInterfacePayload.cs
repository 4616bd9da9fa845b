using OrleansCloud.Tasks;

namespace OrleansCloud.Actions.VmAttachInterface;

/// <summary>vm.attachInterface: a new interface of the VM on the tenant network named <see cref="Network"/>.</summary>
[GenerateSerializer, Immutable, Alias("oc.VmAttachInterfacePayload")]
public sealed record VmAttachInterfacePayload([property: Id(0)] string Network) : TaskPayload
{
    public const string Action = "vm.attachInterface";
}
