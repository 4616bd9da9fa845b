namespace OrleansCloud.HostAgent.Drivers.Domains;

/// <summary>A network on an Open vSwitch bridge whose ports carry this VLAN tag.</summary>
public sealed record VirtualNetworkDefinition(string Name, string Bridge, int Vlan);
