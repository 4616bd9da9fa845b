namespace OrleansCloud.Tasks;

/// <summary>
/// The typed <c>data</c> of a task, after validation and enrichment. Each action has its own
/// payload record (see the <c>Actions</c> folders); the saga engine carries it without reading it.
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.TaskPayload")]
public abstract record TaskPayload;
