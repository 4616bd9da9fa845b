namespace OrleansCloud.Grains.Common;

[GenerateSerializer, Alias("oc.DirectoryState")]
public sealed class DirectoryState
{
    [Id(0)]
    public SortedSet<string> Ids { get; set; } = new(StringComparer.Ordinal);
}
