namespace OrleansCloud.Tasks;

/// <summary>An existing resource a task acts on: kind "vm" or "network", and its id.</summary>
[GenerateSerializer, Immutable, Alias("oc.TaskTarget")]
public sealed record TaskTarget(
    [property: Id(0)] string Kind,
    [property: Id(1)] string RefId);
