namespace OrleansCloud.Jobs;

/// <summary>What a plug-in or an operator's script reports when its job begins.</summary>
[GenerateSerializer, Immutable, Alias("oc.JobStart")]
public sealed record JobStart(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string Description,
    [property: Id(2)] string ActionType,
    [property: Id(3)] string Owner,
    [property: Id(4)] bool AutoCleared);
