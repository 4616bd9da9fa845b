namespace OrleansCloud.Silo;

/// <summary>The dashboard's exposure (configuration section <c>Dashboard</c>), checked at start.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    public DashboardAccess? Access { get; set; }

    /// <summary>With <see cref="DashboardAccess.Loopback"/>: a port of its own on 127.0.0.1, apart from the API's.</summary>
    public int? Port { get; set; }

    /// <summary>The access in effect: configured, or the role's default.</summary>
    public DashboardAccess For(SiloRole role) => Access ?? (role == SiloRole.AllInOne ? DashboardAccess.Admin : DashboardAccess.Loopback);

    public IEnumerable<string> Problems(SiloRole role)
    {
        var access = For(role);
        if (access == DashboardAccess.Admin && role != SiloRole.AllInOne)
        {
            yield return "Dashboard:Access=Admin needs the API in the process (the all-in-one); use Loopback or Off on a control-plane silo";
        }

        if (Port is < 1 or > 65535)
        {
            yield return "Dashboard:Port must be a TCP port";
        }

        if (access == DashboardAccess.Loopback && role == SiloRole.AllInOne && Port is null)
        {
            yield return "Dashboard:Access=Loopback in the all-in-one needs Dashboard:Port, a loopback port apart from the API's";
        }
    }
}
