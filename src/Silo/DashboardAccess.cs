namespace OrleansCloud.Silo;

/// <summary>Who may open the Orleans dashboard (configuration key <c>Dashboard:Access</c>).</summary>
public enum DashboardAccess
{
    /// <summary>
    /// On the API's port, to administrators only: an administrator's token as <c>Authorization: Bearer</c>, or
    /// in the <c>oc_dashboard</c> cookie for a browser. The all-in-one's default; needs the API in the process.
    /// </summary>
    Admin = 0,

    /// <summary>
    /// Only to connections that arrive on a loopback address, and (with <c>Dashboard:Port</c>) only on that port,
    /// which the process then also listens on at 127.0.0.1. A control-plane silo's default.
    /// </summary>
    Loopback = 1,

    /// <summary>Not served.</summary>
    Off = 2,
}
