using OrleansCloud.Common;

namespace OrleansCloud.Tenants;

/// <summary>Limits, committed usage and live (unexpired) holds.</summary>
[GenerateSerializer, Immutable, Alias("oc.QuotaView")]
public sealed record QuotaView(
    [property: Id(0)] ResourceAmount Limits,
    [property: Id(1)] ResourceAmount Used,
    [property: Id(2)] ResourceAmount Held);
