using OrleansCloud.HostAgent.Hosting;
using OrleansCloud.Hosting;

// The host agent: standalone (only the local API in front of this hypervisor) unless a control plane is
// configured, then a silo of the cluster as well, which retries its start until the database answers.
// See HostAgentApplication and the README.
await StartupRetry.RunAsync(() => HostAgentApplication.Build(args));
