using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Storage;

namespace OrleansCloud.Grains.Tests.Cluster;

/// <summary>The test cluster with its default grain storage behind a <see cref="FaultyGrainStorage"/>.</summary>
public sealed class FaultyStorageClusterFixture : ClusterFixture
{
    private const string Inner = "Faultless";

    // Room for the many small VMs a listing test makes.
    protected override IReadOnlyDictionary<string, string?> Overrides { get; } = new Dictionary<string, string?>
    {
        ["HostAgent:Simulated:Vcpus"] = "1000",
        ["HostAgent:Simulated:MaxVms"] = "1000",
    };

    public FaultyGrainStorage Storage => SiloServices.GetRequiredService<FaultyGrainStorage>();

    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(Inner);
        silo.Services.AddSingleton(sp => new FaultyGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(Inner)));
        silo.Services.AddKeyedSingleton<IGrainStorage>(
            ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) => sp.GetRequiredService<FaultyGrainStorage>());
    }
}
