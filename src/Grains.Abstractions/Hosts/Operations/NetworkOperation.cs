namespace OrleansCloud.Hosts.Operations;

/// <summary>An operation on one network of a hypervisor; the agent routes it to the host's network driver.</summary>
[GenerateSerializer, Immutable, Alias("oc.NetworkOperation")]
public abstract record NetworkOperation(string OperationId, [property: Id(0)] string Network) : HostOperation(OperationId)
{
    public override string Subject => Network;
}
