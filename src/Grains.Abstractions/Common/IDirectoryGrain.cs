namespace OrleansCloud.Common;

/// <summary>An ordered set of ids (tenants, users) for administrators' listings.</summary>
[Alias("oc.IDirectoryGrain")]
public interface IDirectoryGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task Add(string id);

    [Alias("Remove")]
    Task Remove(string id);

    [ReadOnly, Alias("List")]
    Task<IReadOnlyList<string>> List();
}
