using OrleansCloud.Api;
using OrleansCloud.HostAgent.Hosting;
using OrleansCloud.Hosting;
using OrleansCloud.Silo;

// The all-in-one is the default: silo, API and a simulated host agent in one process, with
// in-memory clustering, storage, reminders and streams. Silo:Role=ControlPlane with
// Orleans:Storage=Postgres runs one silo of a production cluster (see the README). A silo whose
// database cannot be reached yet retries its start until it can (StartupRetry).
await StartupRetry.RunAsync(() =>
{
    var builder = WebApplication.CreateBuilder(ProcessArguments.WithoutConfigReload(args));
    builder.Configuration.AddOrleansCloudLoggingDefaults();
    var role = builder.Configuration.GetValue("Silo:Role", SiloRole.AllInOne);
    var settings = builder.Configuration.ReadClusterSettings().WithBoundedPool(ClusterSettings.SiloPoolSize);
    var firstRun = role == SiloRole.AllInOne ? AllInOneDefaults.Apply(builder.Configuration) : null;
    builder.UseOrleans(silo => silo.AddControlPlaneSilo(builder.Configuration, settings, role));
    if (role == SiloRole.AllInOne)
    {
        builder.AddOrleansCloudApi();
        builder.Services.AddHostedService<AllInOneImages>();
    }
    else if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]) && string.IsNullOrWhiteSpace(builder.Configuration["ASPNETCORE_URLS"]))
    {
        builder.WebHost.UseUrls("http://127.0.0.1:0");
    }

    var dashboard = builder.AddDashboardExposure(role);
    var app = builder.Build();
    if (role == SiloRole.AllInOne)
    {
        app.MapOrleansCloudApi();
        StartupBanner.PrintWhenStarted(app, firstRun!);
    }
    else
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok", role = role.ToString() }));
    }

    app.MapControlPlaneDashboard(dashboard, role);
    return app;
});
