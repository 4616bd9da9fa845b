using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansCloud.Tenants;

namespace OrleansCloud.Cluster.Tests;

/// <summary>
/// Only the cluster's own processes join it or call a grain: the production topology speaks mutual TLS,
/// and a client must present a certificate issued by the cluster's CA.
/// </summary>
[Collection(ProductionClusterCollection.Name)]
public sealed class ClusterTlsTests(ProductionCluster cluster)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AClientWithTheClustersCertificate_CallsAGrain()
    {
        using var host = cluster.ClientHost(cluster.CertificateFor("client"), Path.Combine(cluster.CertificateDirectory, "ca.pem"), cluster.CertificatePassword);

        var failure = await TryCallAGrain(host);

        Assert.Null(failure);
    }

    [Fact]
    public async Task AClientWithoutACertificate_IsRefused()
    {
        using var host = cluster.ClientHost(certificatePath: null, caPath: null, password: null);

        var failure = await TryCallAGrain(host);

        Assert.NotNull(failure);
    }

    [Fact]
    public async Task AClientWithACertificateOfAnotherCa_IsRefused()
    {
        var rogue = Path.Combine(cluster.LogDirectory, "rogue-certs");
        Certificates.Make(rogue, "client");
        using var host = cluster.ClientHost(Path.Combine(rogue, "client.pfx"), Path.Combine(rogue, "ca.pem"), File.ReadAllText(Path.Combine(rogue, "password")).Trim());

        var failure = await TryCallAGrain(host);

        Assert.NotNull(failure);
    }

    /// <summary>Starts the client and reads a tenant grain; the exception that stopped it, or null.</summary>
    private static async Task<Exception?> TryCallAGrain(IHost host)
    {
        using var cancel = new CancellationTokenSource(Patience);
        try
        {
            await host.StartAsync(cancel.Token);
            var client = host.Services.GetRequiredService<IClusterClient>();
            await client.GetGrain<ITenantGrain>("tls-probe").Get().WaitAsync(Patience);
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
        finally
        {
            await host.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
