namespace OrleansCloud.Silo;

/// <summary>What one silo process does (configuration key <c>Silo:Role</c>).</summary>
public enum SiloRole
{
    /// <summary>Everything in one process: control plane, HTTP API and a host agent (the default).</summary>
    AllInOne = 0,

    /// <summary>Control-plane grains and the dashboard only; the API and the host agents run as their own processes.</summary>
    ControlPlane = 1,
}
