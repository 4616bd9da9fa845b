using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCloud.HostAgent.Commands;
using OrleansCloud.HostAgent.Drivers.Domains;
using OrleansCloud.HostAgent.Hosting;

namespace OrleansCloud.HostAgent.LocalApi;

public static partial class LocalApiHostingExtensions
{
    /// <summary>
    /// The local API's services. Without a configured token a random one is generated and logged once
    /// at start: the API is never open without one.
    /// </summary>
    public static IServiceCollection AddHostAgentLocalApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LocalApiOptions>().Bind(configuration.GetSection(LocalApiOptions.Section))
            .PostConfigure(o =>
            {
                if (string.IsNullOrEmpty(o.Token))
                {
                    o.Token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
                    GeneratedToken = o.Token;
                }
            })
            .Validate(o => o.Token.Length >= 16, "HostAgent:LocalApi:Token must hold at least 16 characters");
        services.AddDomainDrivers();
        services.AddSingleton(sp => LocalHypervisor.Resolve(sp.GetRequiredService<IOptions<LocalApiOptions>>().Value, sp.GetRequiredService<AnnouncedHosts>(), sp));
        services.AddProblemDetails();
        return services;
    }

    /// <summary>The generated token, when none was configured (tests and the startup log read it).</summary>
    public static string? GeneratedToken { get; private set; }

    /// <summary>Maps the routes behind the bearer token; anything without it is a 401 problem.</summary>
    public static WebApplication MapHostAgentLocalApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<LocalApiOptions>>().Value;
        var expected = Encoding.UTF8.GetBytes("Bearer " + options.Token);
        if (GeneratedToken is not null)
        {
            LogGeneratedToken(app.Logger, GeneratedToken);
        }

        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (http.Response.ContentType is null && http.Response.StatusCode is 404 or 405)
            {
                await LocalProblems.Of(http.Response.StatusCode, http.Response.StatusCode == 404 ? ErrorCodes.NotFound : ErrorCodes.Validation,
                    $"{http.Request.Method} {http.Request.Path} is not a route of this agent.").ExecuteAsync(http);
            }
        });
        app.Use(async (http, next) =>
        {
            var given = Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString());
            if (!CryptographicOperations.FixedTimeEquals(given, expected))
            {
                await LocalProblems.Of(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, "A bearer token is required.").ExecuteAsync(http);
                return;
            }

            try
            {
                await next(http);
            }
            catch (CommandFailedException ex) when (!http.Response.HasStarted)
            {
                // A read that libvirt or Open vSwitch refused (libvirtd down, say): the hypervisor failed, not the request.
                await LocalProblems.Failed($"{Path.GetFileName(ex.Result.Program)} failed (exit {ex.Result.ExitCode}): {ex.Message}", ex.Result.LogLines()).ExecuteAsync(http);
            }
        });
        app.MapLocalApi();
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No HostAgent:LocalApi:Token configured; this run's local API token is {Token}")]
    private static partial void LogGeneratedToken(ILogger logger, string token);
}
