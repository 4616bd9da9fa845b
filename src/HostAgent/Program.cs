using OrleansCloud.HostAgent.Hosting;
using OrleansCloud.HostAgent.LocalApi;
using OrleansCloud.HostAgent;
using OrleansCloud.Hosting;

// A standalone host agent: a silo that joins the cluster and hosts only the agent grains of the
// hosts it announces (it carries no control-plane grains), plus the local REST API on loopback.
// With Orleans:Storage=Postgres it finds the cluster through the membership table; in memory it
// joins the silo at Orleans:PrimarySiloPort.
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddOrleansCloudLoggingDefaults();
var settings = builder.Configuration.ReadClusterSettings();
if (builder.Configuration["Orleans:SiloPort"] is null)
{
    // Beside a control-plane silo on the same machine's default ports.
    (settings.SiloPort, settings.GatewayPort) = (11112, 0);
}

if (!settings.UsesPostgres)
{
    settings.PrimarySiloPort ??= 11111;
}

builder.UseOrleans(silo =>
{
    silo.UseClusterMembership(settings, builder.Configuration);
    silo.UseClusterReminders(settings);
    silo.AddHostAgent(builder.Configuration);
});

var localApi = builder.Configuration.GetSection(LocalApiOptions.Section).Get<LocalApiOptions>() ?? new LocalApiOptions();
if (localApi.Enabled)
{
    builder.Services.AddHostAgentLocalApi(builder.Configuration);
    builder.WebHost.UseUrls(localApi.Urls);
}
else
{
    builder.WebHost.UseUrls("http://127.0.0.1:0");
}

var app = builder.Build();
if (localApi.Enabled)
{
    app.MapHostAgentLocalApi();
}

app.Run();
