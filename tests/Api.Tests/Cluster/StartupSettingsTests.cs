using System.Net.Sockets;
using Npgsql;
using OrleansCloud.Hosting;

namespace OrleansCloud.Api.Tests.Cluster;

/// <summary>Issue 14: each process's PostgreSQL pool is bounded, and only a database that cannot be reached yet makes a start retry.</summary>
public sealed class StartupSettingsTests
{
        [Fact]
    public void APoolWithoutASize_GetsItsRolesShare_AndAShortTimeout()
    {
        var settings = new ClusterSettings { Storage = "Postgres", ConnectionString = "Host=127.0.0.1;Database=oc;Username=oc;Password=\"p;w'd\"" }.WithBoundedPool(ClusterSettings.SiloPoolSize);

        var built = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal(ClusterSettings.SiloPoolSize, built.MaxPoolSize);
        Assert.Equal(ClusterSettings.ConnectTimeoutSeconds, built.Timeout);
        Assert.Equal("p;w'd", built.Password);
    }

    [Fact]
    public void TheConnectionStringsOwnSize_Wins_ThenOrleansMaxPoolSize()
    {
        var own = new ClusterSettings { Storage = "Postgres", ConnectionString = "Host=h;Maximum Pool Size=7;Timeout=9", MaxPoolSize = 3 }.WithBoundedPool(ClusterSettings.ApiPoolSize);
        var configured = new ClusterSettings { Storage = "Postgres", ConnectionString = "Host=h", MaxPoolSize = 3 }.WithBoundedPool(ClusterSettings.ApiPoolSize);

        Assert.Equal(7, new NpgsqlConnectionStringBuilder(own.ConnectionString).MaxPoolSize);
        Assert.Equal(9, new NpgsqlConnectionStringBuilder(own.ConnectionString).Timeout);
        Assert.Equal(3, new NpgsqlConnectionStringBuilder(configured.ConnectionString).MaxPoolSize);
    }

    [Fact]
    public void TheDocumentedTopology_FitsTheDefaultMaxConnections()
    {
        // 2 control-plane silos, 1 agent, 1 API against PostgreSQL's default max_connections (100) less its 3
        // reserved slots, with room for a restarted silo whose old connections the server has not yet dropped
        // and for operators (psql, deploy/db.sh).
        // A silo also holds its grain storage's connections (one per batch in flight).
        var silo = ClusterSettings.SiloPoolSize + new OrleansCloud.HostAgent.Hosting.Storage.PostgresGrainStorageOptions().Connections;
        var total = 2 * silo + ClusterSettings.AgentPoolSize + ClusterSettings.ApiPoolSize;
        Assert.Equal(63, total);
        Assert.True(total + silo + 10 <= 100 - 3, $"{total} connections leave too little room");
    }

    [Fact]
    public void AnInvalidMaxPoolSize_StopsTheStart()
    {
        var problems = new ClusterSettings { MaxPoolSize = 0 }.Problems();
        Assert.Contains(problems, p => p.Contains("Orleans:MaxPoolSize", StringComparison.Ordinal));
    }

    [Fact]
    public void OnlyAnUnreachableDatabase_MakesAStartRetry()
    {
        Assert.True(StartupRetry.IsDatabaseUnreachable(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(StartupRetry.IsDatabaseUnreachable(new InvalidOperationException("start failed", new AggregateException(new TimeoutException()))));
        Assert.False(StartupRetry.IsDatabaseUnreachable(new NpgsqlException("bad password")));
        Assert.False(StartupRetry.IsDatabaseUnreachable(new InvalidOperationException("Invalid cluster configuration")));
    }
}
