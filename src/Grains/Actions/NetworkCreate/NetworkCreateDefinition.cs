using OrleansCloud.Actions.NetworkCreate;
using OrleansCloud.Areas;
using OrleansCloud.Grains.Tasks;
using OrleansCloud.Networks;
using OrleansCloud.Tasks;

namespace OrleansCloud.Grains.Actions.NetworkCreate;

/// <summary>
/// network.create: at submission the name is held in the tenant (a zero quota hold of kind network),
/// the VLAN is allocated by the area (never twice) and the subnet is taken as given or carved from the
/// area's pool by the area (never overlapping); then the network's record, active at once. Nothing is
/// made on a hypervisor yet: a host realises the network when the first interface of it lands there.
/// A refusal or a rollback gives the VLAN, the subnet and the name back.
/// </summary>
public sealed class NetworkCreateDefinition : TaskActionDefinition<NetworkCreatePayload>
{
    private const string VlanKey = "network.vlan";
    private const string SubnetKey = "network.subnet";

    public override string Name => NetworkCreatePayload.Action;

    public override string? TargetKind => null;

    public static string NetworkIdFor(string taskId) => TaskGrain.ResourceIdFor("net", taskId);

    protected override Error? Validate(NetworkCreatePayload payload)
    {
        // A grain client skips the API's schema: the same rules, with an empty name or area refused too.
        var errors = NetworkRules.Check(payload.Name ?? "", payload.Area ?? "", payload.Vlan, payload.Subnet, payload.Gateway);
        return errors.Count > 0 ? Error.Validation(errors) : null;
    }

    public override async Task<Result> Reserve(SagaContext saga)
    {
        var payload = PayloadOf(saga);
        var networkId = NetworkIdFor(saga.TaskId);
        saga.SetResource(ResourceKinds.Network, networkId);
        var named = await saga.HoldQuota(ResourceAmount.Zero, ResourceKinds.Network, payload.Name);
        if (!named.IsSuccess)
        {
            return named;
        }

        var area = saga.Grains.Ref<IAreaGrain>(payload.Area);
        var vlan = await area.AllocateVlan(networkId, payload.Vlan);
        if (!vlan.IsSuccess)
        {
            await Unreserve(saga);
            return Result.Fail(vlan.Error.Code == ErrorCodes.NotFound ? Error.Validation("data.area", $"no area '{payload.Area}'") : vlan.Error);
        }

        var subnet = await area.AllocateSubnet(networkId, payload.Subnet, NetworkCreatePayload.AllocatedPrefix);
        if (!subnet.IsSuccess)
        {
            await Unreserve(saga);
            return Result.Fail(subnet.Error);
        }

        saga.SetData(VlanKey, vlan.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        saga.SetData(SubnetKey, subnet.Value);
        saga.Log($"VLAN {vlan.Value} and subnet {subnet.Value} reserved in area {payload.Area}");
        return Result.Ok;
    }

    public override async Task Unreserve(SagaContext saga)
    {
        var payload = PayloadOf(saga);
        var networkId = NetworkIdFor(saga.TaskId);
        var area = saga.Grains.Ref<IAreaGrain>(payload.Area);
        await area.ReleaseVlan(networkId);
        await area.ReleaseSubnet(networkId);
        await saga.ReleaseQuota();
    }

    public override async Task<Result> Prepare(SagaContext saga)
    {
        var payload = PayloadOf(saga);
        Ipv4Subnet.TryParse(saga.Data(SubnetKey), out var subnet);
        var spec = new NetworkSpec(
            payload.Name,
            payload.Area,
            int.Parse(saga.Data(VlanKey)!, System.Globalization.CultureInfo.InvariantCulture),
            subnet.ToString(),
            payload.Gateway ?? Ipv4Subnet.Format(subnet.FirstHost));
        var created = await Network(saga).Create(saga.TenantId, spec, saga.TaskId);
        return created.IsSuccess ? Result.Ok : Result.Fail(created.Error);
    }

    public override IReadOnlyList<HostStep> Steps(SagaContext saga) => [];

    public override async Task<Result> Finalize(SagaContext saga)
    {
        var committed = await saga.Tenant.CommitHold(saga.TaskId, NetworkIdFor(saga.TaskId));
        if (!committed.IsSuccess)
        {
            return committed;
        }

        var active = await Network(saga).Activate(saga.TaskId);
        return active.IsSuccess ? Result.Ok : Result.Fail(active.Error);
    }

    public override async Task<bool> Compensate(SagaContext saga)
    {
        await Network(saga).End(saga.TaskId, failed: true);
        await Unreserve(saga);
        return true;
    }

    private static INetworkGrain Network(SagaContext saga) => saga.Grains.Ref<INetworkGrain>(NetworkIdFor(saga.TaskId));
}
