using Orleans.Configuration;
using OrleansCloud.HostAgent;

// A standalone host agent: a silo that joins the cluster and hosts only the agent grains of the
// hosts it announces. Development default: localhost clustering next to a silo on 11111.
var builder = Host.CreateApplicationBuilder(args);
var configuration = builder.Configuration;
builder.UseOrleans(silo =>
{
    var siloPort = configuration.GetValue("Orleans:SiloPort", 11112);
    var gatewayPort = configuration.GetValue("Orleans:GatewayPort", 30001);
    var primaryPort = configuration.GetValue("Orleans:PrimarySiloPort", EndpointOptions.DEFAULT_SILO_PORT);
    silo.UseLocalhostClustering(siloPort, gatewayPort, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, primaryPort),
        configuration["Orleans:ServiceId"] ?? "orleanscloud", configuration["Orleans:ClusterId"] ?? "orleanscloud-aio");
    silo.AddHostAgent(configuration);
});
builder.Build().Run();
