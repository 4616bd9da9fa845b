using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace OrleansCloud.HostAgent.Hosting.Storage;

public static class PostgresGrainStorageExtensions
{
    /// <summary>
    /// Grain storages of the given names on PostgreSQL, sharing one <see cref="PostgresStateStore"/> (so
    /// their writes share batches), with Orleans' binary serializer: the state classes are
    /// [GenerateSerializer] with stable [Id]s, so stored state stays readable as they evolve.
    /// </summary>
    public static ISiloBuilder AddPostgresGrainStorage(this ISiloBuilder silo, string connectionString, IConfiguration? configuration, params string[] names)
    {
        var options = configuration?.GetSection(PostgresGrainStorageOptions.Section).Get<PostgresGrainStorageOptions>() ?? new PostgresGrainStorageOptions();
        options.ConnectionString = connectionString;
        var problems = options.Problems().ToList();
        if (problems.Count > 0)
        {
            // At start, as every other bad setting: not at the first grain that reads its state.
            throw new InvalidOperationException($"Invalid {PostgresGrainStorageOptions.Section} settings: {string.Join("; ", problems)}.");
        }

        silo.Services.AddSingleton(sp => new PostgresStateStore(options, sp.GetRequiredService<ILogger<PostgresStateStore>>()));
        foreach (var name in names)
        {
            silo.Services.AddGrainStorage(name, (sp, key) => new PostgresGrainStorage(
                key,
                sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                sp.GetRequiredService<PostgresStateStore>(),
                new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>()),
                sp.GetRequiredService<ILogger<PostgresGrainStorage>>()));
        }

        return silo;
    }
}
