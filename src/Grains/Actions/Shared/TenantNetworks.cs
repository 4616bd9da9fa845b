using OrleansCloud.Grains.Tasks;
using OrleansCloud.Networks;
using OrleansCloud.Tasks;
using OrleansCloud.Vms;

namespace OrleansCloud.Grains.Actions.Shared;

/// <summary>
/// What the interface actions share: a tenant network found by name (active, the tenant's own), and a
/// VM's interfaces attached to and detached from their networks. Each network hands out its own
/// addresses (never twice), and attaching the same owner again gives the same address and MAC.
/// </summary>
public static class TenantNetworks
{
    private const string InterfacesKey = "interfaces";

    /// <summary>The tenant's active network named <paramref name="name"/>; a bad name is a validation error on <paramref name="field"/>.</summary>
    public static async Task<Result<NetworkView>> Find(SagaContext saga, string name, string field)
    {
        var id = await saga.Tenant.FindResource(ResourceKinds.Network, name);
        var network = id is null ? null : await saga.Grains.Ref<INetworkGrain>(id).Get(saga.TenantId);
        if (network is not { IsSuccess: true })
        {
            return Error.Validation(field, $"there is no network '{name}' in the tenant");
        }

        return network.Value.State == NetworkState.Active
            ? network.Value
            : new Error(ErrorCodes.InvalidStateTransition, $"Network '{name}' is {network.Value.State.ToString().ToLowerInvariant()}: no interface can join it.");
    }

    /// <summary>Gives the VM's interface number <paramref name="index"/> an address on <paramref name="network"/>.</summary>
    public static async Task<Result<VmInterface>> Attach(SagaContext saga, NetworkView network, string vmId, int index)
    {
        var owner = VmInterface.OwnerFor(vmId, index);
        var attached = await saga.Grains.Ref<INetworkGrain>(network.NetworkId).Attach(saga.TenantId, owner);
        if (!attached.IsSuccess)
        {
            return attached.Error;
        }

        var address = attached.Value;
        saga.Log($"interface {owner} gets {address.Address} ({address.Mac}) on network {network.Spec.Name}, VLAN {address.Vlan}");
        return new VmInterface(network.NetworkId, network.Spec.Name, owner, address.Mac, address.Address, address.Subnet, address.Gateway, address.Vlan);
    }

    /// <summary>Gives every interface's address back to its network. Idempotent.</summary>
    public static async Task Detach(SagaContext saga, IEnumerable<VmInterface>? interfaces)
    {
        foreach (var nic in interfaces ?? [])
        {
            await saga.Grains.Ref<INetworkGrain>(nic.NetworkId).Detach(nic.Owner);
        }
    }

    /// <summary>
    /// Gives back the addresses a submission may have taken for interfaces <paramref name="firstIndex"/>,
    /// <paramref name="firstIndex"/> + 1, ... on the networks named in its request, whether or not it got
    /// as far as recording them: an interface's owner follows from the VM and its index, and detaching
    /// an owner that holds nothing does nothing. What an interrupted submission's abandonment relies on.
    /// </summary>
    public static async Task DetachRequested(SagaContext saga, IReadOnlyList<string> networks, string vmId, int firstIndex)
    {
        for (var i = 0; i < networks.Count; i++)
        {
            if (await saga.Tenant.FindResource(ResourceKinds.Network, networks[i]) is { } networkId)
            {
                await saga.Grains.Ref<INetworkGrain>(networkId).Detach(VmInterface.OwnerFor(vmId, firstIndex + i));
            }
        }
    }

    /// <summary>The interfaces this task attached (recorded before the task goes on, so a replay finds them).</summary>
    public static IReadOnlyList<VmInterface> Recorded(SagaContext saga) => saga.Json<List<VmInterface>>(InterfacesKey) ?? [];

    public static void Record(SagaContext saga, IReadOnlyList<VmInterface> interfaces) => saga.SetJson(InterfacesKey, interfaces);
}
