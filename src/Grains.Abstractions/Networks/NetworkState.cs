namespace OrleansCloud.Networks;

/// <summary>A tenant network's lifecycle (its wire names are lower-case).</summary>
public enum NetworkState
{
    Creating = 0,
    Active = 1,
    Deleting = 2,
    Deleted = 3,
    Failed = 4,
}
