using System.Security.Cryptography;
using System.Text;
using OrleansCloud.Networks;

namespace OrleansCloud.Grains.Networks;

public sealed class NetworkGrain(
    [PersistentState("network")] IPersistentState<NetworkGrainState> state,
    [FromKeyedServices(ControlPlaneClock.Key)] TimeProvider time) : Grain, INetworkGrain
{
    private NetworkGrainState S => state.State;

    private string NetworkId => this.GetPrimaryKeyString();

    public async Task<Result<NetworkView>> Create(string tenantId, NetworkSpec spec, string taskId)
    {
        if (S.Exists)
        {
            return S.LastTaskId == taskId && S.TenantId == tenantId ? View() : Error.Conflict($"Network '{NetworkId}' already exists.");
        }

        if (!Ipv4Subnet.TryParse(spec.Subnet, out var subnet) || !Ipv4Subnet.TryParseAddress(spec.Gateway, out var gateway) || !subnet.IsHost(gateway))
        {
            return Error.Validation("data.subnet", "must be an IPv4 CIDR whose gateway is one of its host addresses");
        }

        var now = time.GetUtcNow();
        S.Exists = true;
        S.TenantId = tenantId;
        S.Spec = spec;
        S.State = NetworkState.Creating;
        S.LastTaskId = taskId;
        S.CreatedAt = now;
        S.UpdatedAt = now;
        await state.WriteStateAsync();
        return View();
    }

    public Task<Result<NetworkView>> Activate(string taskId) => Move(NetworkState.Creating, NetworkState.Active, taskId);

    public async Task<Result<InterfaceAddress>> Attach(string tenantId, string owner)
    {
        if (!S.Exists || S.TenantId != tenantId)
        {
            return NotFound<InterfaceAddress>();
        }

        var spec = S.Spec!;
        Ipv4Subnet.TryParse(spec.Subnet, out var subnet);
        Ipv4Subnet.TryParseAddress(spec.Gateway, out var gateway);
        var known = S.Addresses.Owners.ContainsKey(owner);
        if (!known && S.State != NetworkState.Active)
        {
            return new Error(ErrorCodes.InvalidStateTransition, $"Network '{spec.Name}' is {S.State.ToString().ToLowerInvariant()}: no interface can join it.");
        }

        var address = S.Addresses.Allocate(subnet, gateway, owner);
        if (!address.IsSuccess)
        {
            return address.Error;
        }

        if (!known)
        {
            S.UpdatedAt = time.GetUtcNow();
            await state.WriteStateAsync();
        }

        return new InterfaceAddress(NetworkId, owner, address.Value, MacFor(owner), spec.Vlan, spec.Subnet, spec.Gateway);
    }

    public async Task Detach(string owner)
    {
        if (S.Addresses.Release(owner))
        {
            S.UpdatedAt = time.GetUtcNow();
            await state.WriteStateAsync();
        }
    }

    public async Task<Result<NetworkView>> BeginDelete(string tenantId, string taskId)
    {
        if (!S.Exists || S.TenantId != tenantId || S.State == NetworkState.Deleted)
        {
            return NotFound<NetworkView>();
        }

        if (S.State == NetworkState.Deleting && S.LastTaskId == taskId)
        {
            return View();
        }

        if (S.State != NetworkState.Active)
        {
            return new Error(ErrorCodes.InvalidStateTransition, $"Network '{S.Spec!.Name}' is {S.State.ToString().ToLowerInvariant()}.");
        }

        if (S.Addresses.Count > 0)
        {
            return Error.Conflict($"Network '{S.Spec!.Name}' is in use by {S.Addresses.Count} interface(s); detach them first.");
        }

        return await Move(NetworkState.Active, NetworkState.Deleting, taskId);
    }

    public async Task AbandonDelete(string taskId)
    {
        if (S.State == NetworkState.Deleting && S.LastTaskId == taskId)
        {
            S.State = NetworkState.Active;
            S.UpdatedAt = time.GetUtcNow();
            await state.WriteStateAsync();
        }
    }

    public async Task End(string taskId, bool failed)
    {
        if (!S.Exists || S.State is NetworkState.Deleted or NetworkState.Failed)
        {
            return;
        }

        S.State = failed ? NetworkState.Failed : NetworkState.Deleted;
        S.LastTaskId = taskId;
        S.UpdatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
    }

    public Task<Result<NetworkView>> Get(string? tenantScope) =>
        Task.FromResult(S.Exists && (tenantScope is null || tenantScope == S.TenantId) ? Result<NetworkView>.Ok(View()) : NotFound<NetworkView>());

    /// <summary>A locally administered unicast MAC (QEMU's 52:54:00 prefix) derived from the owner, the same on every call.</summary>
    public static string MacFor(string owner)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(owner));
        return $"52:54:00:{hash[0]:x2}:{hash[1]:x2}:{hash[2]:x2}";
    }

    private async Task<Result<NetworkView>> Move(NetworkState from, NetworkState to, string taskId)
    {
        if (S.State == to)
        {
            return View();
        }

        if (!S.Exists || S.State != from)
        {
            return new Error(ErrorCodes.InvalidStateTransition, $"Network '{NetworkId}' is {S.State.ToString().ToLowerInvariant()}, not {from.ToString().ToLowerInvariant()}.");
        }

        S.State = to;
        S.LastTaskId = taskId;
        S.UpdatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        return View();
    }

    private NetworkView View() => new(NetworkId, S.TenantId, S.Spec!, S.State, S.Addresses.Count, S.LastTaskId, S.CreatedAt, S.UpdatedAt);

    private Result<T> NotFound<T>() => Error.NotFound($"Network '{NetworkId}'");
}
