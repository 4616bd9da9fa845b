using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using OrleansCloud.HostAgent.Hosting;
using OrleansCloud.Hosting;

namespace OrleansCloud.HostAgent.Tests.Hosting;

/// <summary>The agent process with no control plane: it serves its local API at once, without Orleans.</summary>
public sealed class StandaloneAgentTests
{
    private const string Token = "standalone-test-token-0123456789";

    [Fact]
    public async Task TheAgentProcess_WithoutAControlPlane_ServesItsLocalApiAtOnce()
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet", [AgentDll()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Orleans__", StringComparison.Ordinal) || k.StartsWith("HostAgent__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        // The README's standalone settings, on a free loopback port (a simulated hypervisor: no libvirt needed here).
        start.Environment["HostAgent__LocalApi__Token"] = Token;
        start.Environment["HostAgent__LocalApi__Urls"] = url;
        start.Environment["DOTNET_gcServer"] = "0";

        using var agent = Process.Start(start)!;
        var output = new StringBuilder();
        agent.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        agent.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        agent.BeginOutputReadLine();
        agent.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            var hosts = await WaitForLocalApi(http, agent, output);

            Assert.Equal(HttpStatusCode.OK, hosts.StatusCode);
            Assert.IsType<JsonArray>(JsonNode.Parse(await hosts.Content.ReadAsStringAsync()));
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/networks/ns_example_com_vlan_10", new { bridge = "br0", vlan = 10 })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/hosts/ns.example.com", new { memory = 512, disks = new[] { 8 }, networks = new[] { "ns_example_com_vlan_10" } })).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await http.PutAsync("/hosts/ns.example.com/start", null)).StatusCode);

            string log;
            lock (output)
            {
                log = output.ToString();
            }

            Assert.Contains("Standalone host agent", log, StringComparison.Ordinal);
            Assert.DoesNotContain("Heartbeat", log, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Orleans.", log, StringComparison.Ordinal);
        }
        finally
        {
            agent.Kill(entireProcessTree: true);
            await agent.WaitForExitAsync();
        }
    }

    [Theory]
    [InlineData(null, null, null, true)]
    [InlineData("Postgres", null, null, false)]
    [InlineData(null, "11111", null, false)]
    [InlineData("Postgres", null, "true", true)]
    [InlineData(null, null, "false", false)]
    public void Standalone_UnlessAControlPlaneIsConfigured_OrTheSwitchSaysOtherwise(string? storage, string? primarySiloPort, string? standalone, bool expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Orleans:Storage"] = storage,
            ["Orleans:ConnectionString"] = storage is null ? null : "Host=127.0.0.1",
            ["Orleans:PrimarySiloPort"] = primarySiloPort,
            ["HostAgent:Standalone"] = standalone,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Where(kv => kv.Value is not null)).Build();

        Assert.Equal(expected, HostAgentApplication.IsStandalone(configuration, configuration.ReadClusterSettings()));
    }

    private static async Task<HttpResponseMessage> WaitForLocalApi(HttpClient http, Process agent, StringBuilder output)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(agent.HasExited, $"the agent exited: {output}");
            try
            {
                return await http.GetAsync("/hosts");
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                // Not listening yet: the process is still starting.
                await Task.Delay(200);
            }
        }
    }

    /// <summary>The agent as the README runs it, built beside these tests in the same configuration.</summary>
    private static string AgentDll()
    {
        var root = typeof(StandaloneAgentTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        var configuration = typeof(StandaloneAgentTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var dll = Path.Combine(root, "src", "HostAgent", "bin", configuration, "net10.0", "OrleansCloud.HostAgent.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        return dll;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
