using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace OrleansCloud.HostAgent.Placement;

/// <summary>
/// Activates a host's agent grain only on the silo that announced the host, so operations on a
/// hypervisor always run on that hypervisor's agent. No announcing silo is an error the caller
/// sees (and the saga retries), never a silent placement elsewhere.
/// </summary>
public sealed class HostAgentPlacementDirector(ISiloMetadataCache metadata) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var hostName = target.GrainIdentity.Key.ToString()!;
        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (AnnouncedHostsMetadata.Announces(metadata.GetSiloMetadata(silo).Metadata, hostName))
            {
                return Task.FromResult(silo);
            }
        }

        throw new OrleansException($"No host agent silo announces host '{hostName}'.");
    }
}
