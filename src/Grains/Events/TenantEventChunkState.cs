using OrleansCloud.Events;

namespace OrleansCloud.Grains.Events;

[GenerateSerializer, Alias("oc.TenantEventChunkState")]
public sealed class TenantEventChunkState
{
    [Id(0)] public List<SequencedEvent> Events { get; set; } = [];
}
