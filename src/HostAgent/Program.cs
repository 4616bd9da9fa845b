using OrleansCloud.HostAgent;
using OrleansCloud.HostAgent.Hosting;

// A standalone host agent: a silo that joins the cluster and hosts only the agent grains of the
// hosts it announces (it carries no control-plane grains). With Orleans:Storage=Postgres it finds
// the cluster through the membership table; in memory it joins the silo at Orleans:PrimarySiloPort.
var builder = Host.CreateApplicationBuilder(args);
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
builder.Build().Run();
