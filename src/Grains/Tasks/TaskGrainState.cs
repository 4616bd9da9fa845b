using OrleansCloud.Tasks;
using TaskRequest = OrleansCloud.Tasks.TaskRequest;

namespace OrleansCloud.Grains.Tasks;

/// <summary>The saga's durable state. Nothing in it names an action: what an action records goes in the generic maps.</summary>
[GenerateSerializer, Alias("oc.TaskGrainState")]
public sealed class TaskGrainState
{
    [Id(0)] public TaskRequest? Request { get; set; }
    [Id(1)] public TaskState State { get; set; } = TaskState.Pending;

    /// <summary>Attempts of the current host step.</summary>
    [Id(2)] public int Attempts { get; set; }

    [Id(3)] public List<StepView> Steps { get; set; } = [];
    [Id(4)] public TaskOutcome? Result { get; set; }
    [Id(5)] public Error? Error { get; set; }
    [Id(6)] public List<string> Logs { get; set; } = [];
    [Id(7)] public DateTimeOffset CreatedAt { get; set; }
    [Id(8)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(9)] public DateTimeOffset? CompletedAt { get; set; }
    [Id(10)] public DateTimeOffset Deadline { get; set; }

    /// <summary>The resources the task creates or acts on, by kind ("vm" → id).</summary>
    [Id(11)] public Dictionary<string, string> Resources { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The hosts involved, by role ("host", or "source" and "target").</summary>
    [Id(12)] public Dictionary<string, string> Hosts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every host a claim was attempted on, written before the attempt, so compensation can release them all.</summary>
    [Id(13)] public List<string> ClaimedHosts { get; set; } = [];

    /// <summary>The index of the host step running (or next to run); equal to the step count once all succeeded.</summary>
    [Id(14)] public int HostStep { get; set; }

    [Id(15)] public long EventSequence { get; set; }

    /// <summary>What the action's definition recorded (and what host steps reported), by key.</summary>
    [Id(16)] public Dictionary<string, string> Data { get; set; } = new(StringComparer.Ordinal);

    /// <summary>While compensating: the host steps not yet undone are those below this index.</summary>
    [Id(17)] public int UndoBelow { get; set; } = -1;

    /// <summary>Every attempt made so far, over all host steps (what the API reports as attempts).</summary>
    [Id(18)] public int TotalAttempts { get; set; }

    /// <summary>True once the task was accepted (answered 202); a refused or interrupted submission never was.</summary>
    [Id(19)] public bool Accepted { get; set; }

    /// <summary>
    /// The chunk of the tenant's index the task is listed in, or, until it is listed, the chunk its
    /// listing starts looking from: saved before the listing, so a retried one finds its entry.
    /// </summary>
    [Id(20)] public long? IndexChunk { get; set; }
}
