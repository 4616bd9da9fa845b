namespace OrleansCloud.Hosts;

/// <summary>An operator-visible host state. Only <see cref="Up"/> hosts take new work.</summary>
public enum HostState
{
    Unknown = 0,
    Up = 1,
    Down = 2,
    Maintenance = 3,
    Fenced = 4,
}
