namespace OrleansCloud.Tenants;

/// <summary>What an entry of a tenant's index names: a task (also a job) or an external job.</summary>
[GenerateSerializer, Alias("oc.IndexedKind")]
public enum IndexedKind
{
    Task = 0,
    ExternalJob = 1,
}
