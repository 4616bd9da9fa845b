using OrleansCloud.Grains.Tenants;

namespace OrleansCloud.Grains.Tests.Tenants;

/// <summary>The tenant's job list: its tasks and external jobs, newest first, cleared ones left out.</summary>
public sealed class TenantJobIndexTests
{
    [Fact]
    public void TasksAndExternalJobs_AreListedNewestFirst_AndEachOnce()
    {
        var tenant = new TenantState { Exists = true };

        Assert.True(tenant.IndexTask("tsk-1"));
        Assert.True(tenant.IndexJob("job-1"));
        Assert.True(tenant.IndexTask("tsk-2"));
        Assert.False(tenant.IndexTask("tsk-1"));
        Assert.False(tenant.IndexJob("job-1"));

        Assert.Equal(["tsk-2", "job-1", "tsk-1"], tenant.PageJobs(null, 10).Items);
        Assert.Equal(["tsk-1", "tsk-2"], tenant.Tasks);
    }

    [Fact]
    public void ATenantSavedBeforeTheJobList_ListsItsTasksAsJobs_AndKeepsThemWhenAJobArrives()
    {
        var tenant = new TenantState { Exists = true, Tasks = ["tsk-1", "tsk-2"] };

        Assert.Equal(["tsk-2", "tsk-1"], tenant.PageJobs(null, 10).Items);

        tenant.IndexJob("job-1");

        Assert.Equal(["job-1", "tsk-2", "tsk-1"], tenant.PageJobs(null, 10).Items);
    }

    [Fact]
    public void ClearedJobs_AreLeftOut_AndPagesStillCoverTheRest()
    {
        var tenant = new TenantState { Exists = true };
        for (var i = 1; i <= 7; i++)
        {
            tenant.IndexJob($"job-{i}");
        }

        Assert.True(tenant.ClearJob("job-6"));
        Assert.True(tenant.ClearJob("job-5"));
        Assert.False(tenant.ClearJob("job-5"));
        Assert.False(tenant.ClearJob("job-unknown"));

        var first = tenant.PageJobs(null, 2);
        var second = tenant.PageJobs(first.NextPageToken, 2);
        var third = tenant.PageJobs(second.NextPageToken, 2);

        Assert.Equal(["job-7", "job-4"], first.Items);
        Assert.Equal(["job-3", "job-2"], second.Items);
        Assert.Equal(["job-1"], third.Items);
        Assert.Null(third.NextPageToken);
    }
}
