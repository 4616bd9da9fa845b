using OrleansCloud.Api;
using OrleansCloud.Hosting;

// The API as its own process: an Orleans client of the control-plane silos, found through the
// PostgreSQL membership table (Orleans:Storage=Postgres) or at a localhost gateway in memory mode.
// It serves from its first second and connects to the cluster whenever the cluster is there.
var builder = WebApplication.CreateBuilder(ProcessArguments.WithoutConfigReload(args));
builder.Configuration.AddOrleansCloudLoggingDefaults();
var settings = (builder.Configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings())
    .Validated()
    .WithBoundedPool(ClusterSettings.ApiPoolSize);
builder.AddOrleansCloudClusterClient(settings);
builder.AddOrleansCloudApi();

var app = builder.Build();

// The Orleans client starts beside the other services and may wait for the cluster without end; bad
// settings must still stop the process at once, so they are checked before anything starts.
_ = app.Services.GetRequiredService<OrleansCloud.Api.Auth.AuthOptions>();
app.MapOrleansCloudApi();
app.Run();
