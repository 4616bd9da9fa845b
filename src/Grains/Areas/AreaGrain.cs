using OrleansCloud.Areas;
using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Areas;

public sealed class AreaGrain(
    [PersistentState("area")] IPersistentState<AreaState> state,
    [FromKeyedServices(ControlPlaneClock.Key)] TimeProvider time) : Grain, IAreaGrain
{
    private AreaState S => state.State;

    private string Id => this.GetPrimaryKeyString();

    public async Task<Result<AreaView>> Create(AreaSettings settings)
    {
        var errors = AreaRules.Check(settings);
        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        if (S.Exists)
        {
            return Error.Conflict(S.Discovered
                ? $"Area '{Id}' exists: a host reported it. Change it instead."
                : $"Area '{Id}' exists.");
        }

        await Establish(settings, discovered: false);
        return View();
    }

    public async Task Discover()
    {
        if (!S.Exists)
        {
            await Establish(new AreaSettings(Id, AreaDefaults.DiscoveredDescription, AreaDefaults.VlanRange, AreaDefaults.SubnetPool, null), discovered: true);
        }
    }

    public Task<Result<AreaView>> Get() =>
        Task.FromResult(S.Exists ? View() : Result<AreaView>.Fail(Error.NotFound($"Area '{Id}'")));

    public async Task<Result<AreaView>> Change(AreaChange change)
    {
        if (!S.Exists)
        {
            return Error.NotFound($"Area '{Id}'");
        }

        var current = S.Settings!;
        var changed = new AreaSettings(
            change.Name ?? current.Name,
            change.Description ?? current.Description,
            change.VlanRange ?? current.VlanRange,
            change.SubnetPool ?? current.SubnetPool,
            change.ClearPublicSubnet ? null : change.PublicSubnet ?? current.PublicSubnet);
        var errors = AreaRules.Check(changed);
        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        var outside = S.Vlans.Where(v => !changed.VlanRange.Contains(v.Value)).OrderBy(v => v.Value).ToList();
        if (outside.Count > 0)
        {
            return Error.Conflict($"The range {changed.VlanRange.From}-{changed.VlanRange.To} leaves out {outside.Count} VLAN(s) in use, e.g. {outside[0].Value} of network '{outside[0].Key}'.");
        }

        if (changed == current)
        {
            return View();
        }

        S.Settings = changed;
        S.Discovered = false;
        S.Version++;
        await state.WriteStateAsync();
        return View();
    }

    public async Task<Result> Delete()
    {
        if (!S.Exists)
        {
            return Error.NotFound($"Area '{Id}'");
        }

        if (S.Vlans.Count > 0)
        {
            return Error.Conflict($"Area '{Id}' has {S.Vlans.Count} network(s); delete them first.");
        }

        // The hosts' own reports are the truth of where they are; a host that reports this area
        // after the check recreates it as discovered, so no host is ever left in an unknown area.
        var hosts = await GrainFactory.Ref<IPlacementGrain>(PlacementKeys.Global).ListHosts();
        var reporting = hosts.Count(h => h.Area == Id);
        if (reporting > 0)
        {
            return Error.Conflict($"Area '{Id}' has {reporting} host(s) reporting it; move or retire them first.");
        }

        await state.ClearStateAsync();
        state.State = new AreaState();
        await GrainFactory.Ref<IDirectoryGrain>(DirectoryKeys.Areas).Remove(Id);
        return Result.Ok;
    }

    public async Task<Result<int>> AllocateVlan(string networkId, int? wanted)
    {
        if (!S.Exists)
        {
            return Error.NotFound($"Area '{Id}'");
        }

        var range = S.Settings!.VlanRange;
        if (S.Vlans.TryGetValue(networkId, out var held))
        {
            return wanted is null || wanted == held
                ? held
                : Error.Conflict($"Network '{networkId}' holds VLAN {held} already.");
        }

        int vlan;
        if (wanted is { } asked)
        {
            if (!range.Contains(asked))
            {
                return Error.Validation("data.vlan", $"must lie in area '{Id}''s range {range.From}-{range.To}");
            }

            if (S.Vlans.ContainsValue(asked))
            {
                return Error.Conflict($"VLAN {asked} is in use in area '{Id}'.");
            }

            vlan = asked;
        }
        else
        {
            var used = S.Vlans.Values.ToHashSet();
            var free = Enumerable.Range(range.From, range.Size).Where(v => !used.Contains(v)).Take(1).ToList();
            if (free.Count == 0)
            {
                return new Error(ErrorCodes.NoCapacity, $"Area '{Id}' has no free VLAN in {range.From}-{range.To}.");
            }

            vlan = free[0];
        }

        S.Vlans[networkId] = vlan;
        await state.WriteStateAsync();
        return vlan;
    }

    public async Task<Result> ReleaseVlan(string networkId)
    {
        if (S.Exists && S.Vlans.Remove(networkId))
        {
            await state.WriteStateAsync();
        }

        return Result.Ok;
    }

    public async Task<Result<string>> AllocateSubnet(string networkId, string? wanted, int prefix)
    {
        if (!S.Exists)
        {
            return Error.NotFound($"Area '{Id}'");
        }

        if (!OrleansCloud.Networks.Ipv4Subnet.TryParse(S.Settings!.SubnetPool, out var pool))
        {
            return new Error(ErrorCodes.NoCapacity, $"Area '{Id}' has no usable subnet pool.");
        }

        var known = S.Subnets.Networks.ContainsKey(networkId);
        var subnet = S.Subnets.Allocate(networkId, wanted, pool, prefix);
        if (subnet.IsSuccess && !known)
        {
            await state.WriteStateAsync();
        }

        return subnet;
    }

    public async Task<Result> ReleaseSubnet(string networkId)
    {
        if (S.Exists && S.Subnets.Release(networkId))
        {
            await state.WriteStateAsync();
        }

        return Result.Ok;
    }

    private async Task Establish(AreaSettings settings, bool discovered)
    {
        S.Exists = true;
        S.Settings = settings;
        S.Discovered = discovered;
        S.CreatedAt = time.GetUtcNow();
        S.Version = 1;
        S.Vlans.Clear();
        S.Subnets = new();
        await state.WriteStateAsync();
        await GrainFactory.Ref<IDirectoryGrain>(DirectoryKeys.Areas).Add(Id);
    }

    private Result<AreaView> View() => new AreaView(Id, S.Settings!, S.Discovered, S.Vlans.Count, S.CreatedAt, S.Version);
}
