using OrleansCloud.Vms;

namespace OrleansCloud.HostAgent.Drivers.Simulated;

public sealed record SimulatedDomain(string VmId, VmSpec Spec, string Address, bool Running);
