using Orleans.Configuration;
using OrleansCloud.Api;

// The API as its own process: an Orleans client of the control-plane silos. The all-in-one
// (src/Silo) hosts the same API inside the silo instead.
var builder = WebApplication.CreateBuilder(args);
builder.UseOrleansClient(client =>
{
    var gatewayPort = builder.Configuration.GetValue("Orleans:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT);
    client.UseLocalhostClustering(gatewayPort);
    client.Configure<ClusterOptions>(o =>
    {
        o.ClusterId = builder.Configuration["Orleans:ClusterId"] ?? "orleanscloud-aio";
        o.ServiceId = builder.Configuration["Orleans:ServiceId"] ?? "orleanscloud";
    });
});
builder.AddOrleansCloudApi();

var app = builder.Build();
app.MapOrleansCloudApi();
app.Run();
