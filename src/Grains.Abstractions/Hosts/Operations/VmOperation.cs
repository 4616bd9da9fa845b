namespace OrleansCloud.Hosts.Operations;

/// <summary>An operation on one VM of a hypervisor; the agent routes it to the host's hypervisor driver.</summary>
[GenerateSerializer, Immutable, Alias("oc.VmOperation")]
public abstract record VmOperation(string OperationId, [property: Id(0)] string VmId) : HostOperation(OperationId)
{
    public override string Subject => VmId;
}
