namespace OrleansCloud.Grains.Tenants;

/// <summary>The head of a tenant's index: which chunk is being filled, and how far the migration of legacy lists got.</summary>
[GenerateSerializer, Alias("oc.TenantIndexState")]
public sealed class TenantIndexState
{
    /// <summary>The chunk new entries go to; every chunk below it is full.</summary>
    [Id(0)] public long Tail { get; set; }

    /// <summary>The tenant's legacy lists were imported into the chunks.</summary>
    [Id(1)] public bool Imported { get; set; }

    /// <summary>The tenant forgot its legacy lists (after <see cref="Imported"/>).</summary>
    [Id(2)] public bool LegacyDropped { get; set; }
}
