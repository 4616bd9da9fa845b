namespace OrleansCloud.Hosts.Operations;

/// <summary>Makes the network exist on the host: a bridge with a VLAN tag that VMs attach to. Idempotent.</summary>
[GenerateSerializer, Immutable, Alias("oc.EnsureNetwork")]
public sealed record EnsureNetwork(string OperationId, string Network, [property: Id(0)] string Bridge, [property: Id(1)] int Vlan)
    : NetworkOperation(OperationId, Network);
