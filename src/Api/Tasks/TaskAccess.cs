using OrleansCloud.Api.Auth;
using OrleansCloud.Tasks;

namespace OrleansCloud.Api.Tasks;

public static class TaskAccess
{
    /// <summary>
    /// The task if the caller may see it: an administrator any, a tenant user those of its tenants.
    /// Anything else is "not found", so ids of other tenants' tasks reveal nothing.
    /// </summary>
    public static async Task<Result<TaskView>> FindVisible(string taskId, Caller caller, IGrainFactory grains, string what = "Task")
    {
        var notFound = Error.NotFound($"{what} '{taskId}'");
        if (!Names.IsValid(taskId))
        {
            return notFound;
        }

        var task = await grains.Ref<ITaskGrain>(taskId).Get(tenantScope: null);
        return task.IsSuccess && (caller.IsAdmin || caller.Memberships.Any(m => m.TenantId == task.Value.TenantId))
            ? task.Value
            : notFound;
    }
}
