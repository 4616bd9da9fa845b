namespace OrleansCloud.Tasks;

/// <summary>What a task produced: the resource it created or acted on and where.</summary>
[GenerateSerializer, Immutable, Alias("oc.TaskOutcome")]
public sealed record TaskOutcome(
    [property: Id(0)] string? VmId,
    [property: Id(1)] string? Host);
