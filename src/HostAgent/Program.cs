using OrleansCloud.HostAgent.Hosting;

// The host agent: standalone (only the local API in front of this hypervisor) unless a control plane is
// configured, then a silo of the cluster as well. See HostAgentApplication and the README.
HostAgentApplication.Build(args).Run();
