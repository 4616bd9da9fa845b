using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace OrleansCloud.Silo;

/// <summary>Tells the person who started the all-in-one where everything is and how to log in.</summary>
public static class StartupBanner
{
    public static void PrintWhenStarted(WebApplication app, GeneratedSecrets generated)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            var url = addresses?.FirstOrDefault()?.TrimEnd('/') ?? AllInOneDefaults.DefaultUrl;
            var user = app.Configuration["OC_ADMIN_USER"];
            var password = generated.AdminPassword is null ? "(the OC_ADMIN_PASSWORD you set)" : generated.AdminPassword;
            Console.WriteLine($"""

                OrleansCloud all-in-one is up.
                  API          {url}/api/v1
                  OpenAPI      {url}/openapi/v1.json
                  API UI       {url}/scalar
                  Dashboard    {url}/dashboard/   (administrators: sign in there with the password below, or send Authorization: Bearer <token>)
                  Health       {url}/healthz

                Log in as the administrator:
                  user         {user}
                  password     {password}
                  curl -s -X POST {url}/api/v1/auth/token -H 'Content-Type: application/json' \
                       -d '{"{"}"username":"{user}","password":"{password}"{"}"}'

                """);
        });
    }
}
