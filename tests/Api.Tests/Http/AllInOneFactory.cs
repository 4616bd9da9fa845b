using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace OrleansCloud.Api.Tests.Http;

/// <summary>
/// The real all-in-one (silo, API, simulated host agent) in process, driven through the full ASP.NET
/// pipeline. Orleans ports are free loopback ports so several factories can coexist.
/// </summary>
public class AllInOneFactory : WebApplicationFactory<OrleansCloud.Silo.AllInOneEntryPoint>
{
    public const string AdminUser = "root";
    public const string AdminPassword = "test-admin-password";

    private static readonly object PortLock = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        int siloPort, gatewayPort;
        lock (PortLock)
        {
            siloPort = FreePort();
            gatewayPort = FreePort();
        }

        builder.UseSetting("OC_ADMIN_USER", AdminUser);
        builder.UseSetting("OC_ADMIN_PASSWORD", AdminPassword);
        builder.UseSetting("OC_JWT_KEY", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        builder.UseSetting("Orleans:SiloPort", siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("HostAgent:HeartbeatInterval", "00:00:00.500");
        builder.UseSetting("HostAgent:Simulated:Count", "3");
        builder.UseSetting("HostAgent:Simulated:Latency", "00:00:00.010");
        builder.UseSetting("Tasks:RetryBackoff", "00:00:00.020");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in ExtraSettings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Settings a variant of the all-in-one adds (a real driver, say).</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
