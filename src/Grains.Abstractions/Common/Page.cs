namespace OrleansCloud.Common;

/// <summary>A page of a listing; <see cref="NextPageToken"/> is null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("oc.Page`1")]
public sealed record Page<T>(
    [property: Id(0)] IReadOnlyList<T> Items,
    [property: Id(1)] string? NextPageToken);
