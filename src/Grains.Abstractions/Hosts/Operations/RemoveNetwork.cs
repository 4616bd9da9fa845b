namespace OrleansCloud.Hosts.Operations;

/// <summary>Removes the network from the host; removing an absent one succeeds.</summary>
[GenerateSerializer, Immutable, Alias("oc.RemoveNetwork")]
public sealed record RemoveNetwork(string OperationId, string Network) : NetworkOperation(OperationId, Network);
