using OrleansCloud.Hosting;

namespace OrleansCloud.Grains.Tests.Hosting;

/// <summary>The connection string every process uses gets the project's pooling defaults, and never overrides the operator's.</summary>
public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void TheDbScriptsString_GetsNoResetOnClose_AndABoundedPool()
    {
        var settings = new ClusterSettings { ConnectionString = "Host=127.0.0.1;Port=5432;Database=oc;Username=oc;Password=secret" };

        var result = settings.PostgresConnectionString!;

        Assert.Contains("No Reset On Close=true", result, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"Maximum Pool Size={ClusterSettings.DefaultMaxPoolSize}", result, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("password=secret", result, StringComparison.Ordinal);
    }

    [Fact]
    public void WhatTheOperatorSet_Stays()
    {
        var result = ClusterSettings.WithPoolingDefaults("Host=db;NoResetOnClose=false;Max Pool Size=7")!;

        Assert.DoesNotContain("No Reset On Close=true", result, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Max Pool Size=7", result, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Maximum Pool Size", result, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void NoConnectionString_StaysNone() => Assert.Null(new ClusterSettings().PostgresConnectionString);
}
