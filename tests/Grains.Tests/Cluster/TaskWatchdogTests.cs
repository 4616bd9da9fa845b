using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.Common;
using OrleansCloud.HostAgent.Drivers.Simulated;
using OrleansCloud.Hosts;
using OrleansCloud.Hosts.Operations;
using OrleansCloud.Tasks;
using OrleansCloud.Vms;
using static OrleansCloud.Grains.Tests.Cluster.Requests;

namespace OrleansCloud.Grains.Tests.Cluster;

/// <summary>
/// The watchdog's buckets: an accepted task is listed (durably, before its first side effect) until it
/// ends, and a listed task whose activation went away is woken by the next tick and finishes.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TaskWatchdogTests(ClusterFixture fixture)
{
    private const int Buckets = 8; // TaskOptions.WatchdogBuckets' default, which the fixture keeps

    private readonly IClusterClient _grains = fixture.Client;
    private readonly SimulatedFaults _faults = fixture.SiloServices.GetRequiredService<SimulatedFaults>();

    [Fact]
    public async Task AnAcceptedTask_IsListedUntilItEnds_ThenNoBucketListsIt()
    {
        var tenantId = await NewTenant(_grains, new ResourceAmount(4, 8192, 100, 4));
        var hosts = (await _grains.GetGrain<IPlacementGrain>(PlacementKeys.Global).ListHosts()).Select(h => h.HostName).ToList();
        foreach (var host in hosts)
        {
            _faults.FailNext<CreateVm>(host, 2, retryable: true);
        }

        try
        {
            var taskId = NewId("tsk");
            var bucket = _grains.GetGrain<ITaskWatchdogGrain>(TaskWatchdogKeys.For(taskId, Buckets));
            var submitted = await _grains.GetGrain<ITaskGrain>(taskId).Submit(Create(tenantId, Requests.Vm("watched")));
            Assert.True(submitted.IsSuccess, submitted.Error?.Message);

            // Two failed attempts and their backoff: still running, and listed.
            Assert.Contains(taskId, await bucket.Tracked());
            var final = await Final(_grains, taskId);

            Assert.Equal(TaskState.Succeeded, final.State);
            await Eventually.True(async () => !(await bucket.Tracked()).Contains(taskId), "the ended task to leave its bucket");
            foreach (var other in Enumerable.Range(0, Buckets))
            {
                Assert.DoesNotContain(taskId, await _grains.GetGrain<ITaskWatchdogGrain>(other.ToString(System.Globalization.CultureInfo.InvariantCulture)).Tracked());
            }

            var delete = NewId("tsk");
            await _grains.GetGrain<ITaskGrain>(delete).Submit(Delete(tenantId, final.Result!.VmId!));
            await Final(_grains, delete);
        }
        finally
        {
            _faults.Clear();
        }
    }

    [Fact]
    public void ATasksBucket_IsTheSameOnEverySilo_AndSpreadsTasks()
    {
        Assert.Equal(TaskWatchdogKeys.For("tsk-0123456789abcdef", 8), TaskWatchdogKeys.For("tsk-0123456789abcdef", 8));
        var used = Enumerable.Range(0, 400).Select(i => TaskWatchdogKeys.For($"tsk-{Guid.NewGuid():N}", 8)).Distinct().Count();
        Assert.Equal(8, used);
        Assert.Equal("0", TaskWatchdogKeys.For("anything", 1));
    }
}
