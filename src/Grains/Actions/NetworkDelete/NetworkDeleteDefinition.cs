using OrleansCloud.Actions.NetworkDelete;
using OrleansCloud.Areas;
using OrleansCloud.Grains.Tasks;
using OrleansCloud.Networks;
using OrleansCloud.Tasks;

namespace OrleansCloud.Grains.Actions.NetworkDelete;

/// <summary>
/// network.delete: refused at submission while an interface is attached (nothing changes); otherwise
/// the network is held as deleting (no interface may join), then its VLAN, subnet and name go back.
/// </summary>
public sealed class NetworkDeleteDefinition : TaskActionDefinition<NetworkDeletePayload>
{
    public override string Name => NetworkDeletePayload.Action;

    public override string? TargetKind => ResourceKinds.Network;

    public override async Task<Result> Reserve(SagaContext saga)
    {
        var networkId = saga.Request.Target!.RefId;
        var deleting = await saga.Grains.Ref<INetworkGrain>(networkId).BeginDelete(saga.TenantId, saga.TaskId);
        if (!deleting.IsSuccess)
        {
            return Result.Fail(deleting.Error);
        }

        saga.SetResource(ResourceKinds.Network, networkId);
        saga.SetData("network.area", deleting.Value.Spec.Area);
        return Result.Ok;
    }

    public override Task Unreserve(SagaContext saga) =>
        saga.Resource(ResourceKinds.Network) is { } networkId ? Network(saga, networkId).AbandonDelete(saga.TaskId) : Task.CompletedTask;

    public override IReadOnlyList<HostStep> Steps(SagaContext saga) => [];

    public override async Task<Result> Finalize(SagaContext saga)
    {
        var networkId = saga.Resource(ResourceKinds.Network)!;
        var area = saga.Grains.Ref<IAreaGrain>(saga.Data("network.area")!);
        await area.ReleaseVlan(networkId);
        await area.ReleaseSubnet(networkId);
        await saga.Tenant.ReleaseUsage(networkId);
        await Network(saga, networkId).End(saga.TaskId, failed: false);
        return Result.Ok;
    }

    public override async Task<bool> Compensate(SagaContext saga)
    {
        await Unreserve(saga);
        return true;
    }

    private static INetworkGrain Network(SagaContext saga, string networkId) => saga.Grains.Ref<INetworkGrain>(networkId);
}
