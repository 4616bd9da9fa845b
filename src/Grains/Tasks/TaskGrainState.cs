using OrleansCloud.Tasks;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;

namespace OrleansCloud.Grains.Tasks;

[GenerateSerializer, Alias("oc.TaskGrainState")]
public sealed class TaskGrainState
{
    [Id(0)] public TaskRequest? Request { get; set; }
    [Id(1)] public TaskState State { get; set; } = TaskState.Pending;
    [Id(2)] public int Attempts { get; set; }
    [Id(3)] public List<StepView> Steps { get; set; } = [];
    [Id(4)] public TaskOutcome? Result { get; set; }
    [Id(5)] public Error? Error { get; set; }
    [Id(6)] public List<string> Logs { get; set; } = [];
    [Id(7)] public DateTimeOffset CreatedAt { get; set; }
    [Id(8)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(9)] public DateTimeOffset? CompletedAt { get; set; }
    [Id(10)] public DateTimeOffset Deadline { get; set; }

    /// <summary>The VM the task creates or acts on.</summary>
    [Id(11)] public string? VmId { get; set; }

    /// <summary>The host whose claim succeeded (vm.create) or that runs the VM (vm.delete).</summary>
    [Id(12)] public string? Host { get; set; }

    /// <summary>Every host a claim was attempted on, written before the attempt, so compensation can release them all.</summary>
    [Id(13)] public List<string> ClaimedHosts { get; set; } = [];

    /// <summary>True once host work may have started, so compensation must undo it on the host.</summary>
    [Id(14)] public bool Dispatched { get; set; }

    [Id(15)] public long EventSequence { get; set; }
}
