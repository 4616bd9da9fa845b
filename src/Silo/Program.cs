using OrleansCloud.Api;
using OrleansCloud.Silo;

// The all-in-one is the default: silo, API and a simulated host agent in one process, with
// in-memory clustering, storage, reminders and streams. See the README for the other modes.
var builder = WebApplication.CreateBuilder(args);
var firstRun = AllInOneDefaults.Apply(builder.Configuration);
builder.UseOrleans(silo => silo.AddAllInOneSilo(builder.Configuration));
builder.AddOrleansCloudApi();

var app = builder.Build();
app.MapOrleansCloudApi();
app.MapControlPlaneDashboard();
StartupBanner.PrintWhenStarted(app, firstRun);
app.Run();
