using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Microsoft.OpenApi;
using OrleansCloud.Api.Actions;
using OrleansCloud.Api.Areas;
using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Cluster;
using OrleansCloud.Api.Errors;
using OrleansCloud.Api.Events;
using OrleansCloud.Api.Hosts;
using OrleansCloud.Api.Images;
using OrleansCloud.Api.Jobs;
using OrleansCloud.Api.Tasks;
using OrleansCloud.Api.Tenants;
using OrleansCloud.Api.Users;
using OrleansCloud.Api.Networks;
using OrleansCloud.Api.Vms;
using Scalar.AspNetCore;

namespace OrleansCloud.Api;

public static class ApiHostingExtensions
{
    public const string RoutePrefix = "/api/v1";

    /// <summary>Where a silo serves the Orleans dashboard; on the API's port it needs an administrator's token.</summary>
    public const string DashboardPath = "/dashboard";

    /// <summary>The cookie a browser may carry an administrator's token in, for the dashboard only.</summary>
    public const string DashboardCookie = "oc_dashboard";

    /// <summary>
    /// The HTTP API's services: bearer tokens (HS256, keys from configuration), the two scopes,
    /// problem+json everywhere, camelCase JSON and the OpenAPI document. Needs an
    /// <see cref="IGrainFactory"/> from a co-hosted silo or an Orleans client.
    /// </summary>
    public static WebApplicationBuilder AddOrleansCloudApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var options = AuthOptions.From(sp.GetRequiredService<IConfiguration>());
            var problems = options.Problems().ToList();
            return problems.Count == 0
                ? options
                : throw new OptionsValidationException("OC_*", typeof(AuthOptions), problems);
        });
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<Passwords>();
        services.AddOrleansCloudRateLimiting();
        services.AddHostedService<AuthOptionsCheck>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenIssuer>((jwt, issuer) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = AuthOptions.Issuer,
                    ValidAudience = AuthOptions.Audience,
                    IssuerSigningKey = issuer.Key,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = ClaimNames.Subject,
                };
                jwt.Events = new JwtBearerEvents
                {
                    // A browser cannot add a header to the dashboard's own requests: there the token may come as a cookie.
                    OnMessageReceived = context =>
                    {
                        if (context.Request.Path.StartsWithSegments(DashboardPath)
                            && string.IsNullOrEmpty(context.Request.Headers.Authorization)
                            && context.Request.Cookies.TryGetValue(DashboardCookie, out var token))
                        {
                            context.Token = token;
                        }

                        return Task.CompletedTask;
                    },
                    OnChallenge = context =>
                    {
                        context.HandleResponse();
                        var message = context.AuthenticateFailure switch
                        {
                            null => "A bearer token is required.",
                            UserGoneException gone => gone.Message,
                            _ => "The bearer token is not valid (signature, issuer or expiry).",
                        };
                        return Problems.Write(context.HttpContext, new Error(ErrorCodes.Unauthenticated, message));
                    },
                    OnTokenValidated = LiveMemberships.Refresh,
                    OnForbidden = context =>
                        Problems.Write(context.HttpContext, new Error(ErrorCodes.Forbidden, "This route needs an administrator.")),
                };
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireClaim(ClaimNames.Scope, ClaimNames.AdminScope))
            .AddPolicy(Policies.Tenant, p => p.RequireAuthenticatedUser().RequireClaim(ClaimNames.Scope, ClaimNames.AdminScope, ClaimNames.TenantScope));

        services.AddOptions<ClusterCallOptions>().BindConfiguration(ClusterCallOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ApiLimitsOptions>().BindConfiguration(ApiLimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Kestrel refuses an over-long request line itself, with an empty body it lets no one customise;
        // raised above the API's own limit, a long URL reaches EdgeGuard and gets a problem answer.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestLineSize = 4 * EdgeGuard.MaxUrlLength);
        services.AddProblemDetails();
        services.AddTaskActionSchemas();
        services.AddSingleton<IImageCatalogue, GrainImageCatalogue>();
        services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        services.AddOpenApi("v1", o =>
        {
            o.AddDocumentTransformer<TaskActionsOpenApi>();
            o.AddDocumentTransformer<ProblemSchemaTransformer>();
            o.AddOperationTransformer<ProblemResponsesTransformer>();
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "OrleansCloud API",
                    Version = "v1",
                    Description = "Multi-tenant IaaS control plane: tasks, VMs, tenants, quota, hosts. Errors are application/problem+json with a `code`.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "A token from POST /api/v1/auth/token.",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                // Anonymous routes (the token exchange) need no bearer token.
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any())
                {
                    operation.Security = [];
                }

                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>The pipeline and every route: /api/v1/..., /healthz, /openapi/v1.json and the Scalar UI at /scalar.</summary>
    public static WebApplication MapOrleansCloudApi(this WebApplication app)
    {
        app.UseExceptionHandler(errors => errors.Run(WriteUnhandled));
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            if (http.Response.HasStarted || http.Response.ContentLength > 0 || http.Response.ContentType is not null)
            {
                return Task.CompletedTask;
            }

            var error = http.Response.StatusCode switch
            {
                // The framework's own refusals (a query value that does not bind, a body over the server's limit).
                StatusCodes.Status400BadRequest => Error.Validation("request", "a route, query or header value could not be read as its type (e.g. pageSize=abc)"),
                StatusCodes.Status413PayloadTooLarge => JsonBody.TooLarge(JsonBody.LimitFor(http)),
                StatusCodes.Status414UriTooLong => Error.Validation("url", "is too long"),
                StatusCodes.Status431RequestHeaderFieldsTooLarge => Error.Validation("headers", "are too large"),
                StatusCodes.Status404NotFound => new Error(ErrorCodes.NotFound, $"No route matches {http.Request.Path}."),
                StatusCodes.Status405MethodNotAllowed => new Error(ErrorCodes.Validation, $"{http.Request.Method} is not allowed on {http.Request.Path}."),
                StatusCodes.Status415UnsupportedMediaType => new Error(ErrorCodes.Validation, "The body must be application/json."),
                StatusCodes.Status401Unauthorized => new Error(ErrorCodes.Unauthenticated, "A bearer token is required."),
                StatusCodes.Status403Forbidden => new Error(ErrorCodes.Forbidden, "The caller may not do this."),
                _ => null,
            };
            if (error is null)
            {
                return Task.CompletedTask;
            }

            return Problems.Write(http, error, http.Response.StatusCode);
        });
        app.UseOrleansCloudUrlLimit();
        app.UseRouting();
        app.UseOrleansCloudEdgeGuard();

        // Before authentication, which reads the caller's memberships from the cluster.
        app.UseClusterConnectionGate();
        app.UseClusterCallBudget();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseOrleansCloudIdempotency();

        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).AllowAnonymous().ExcludeFromDescription();

        // Ready: the cluster client has connected (always, co-hosted with a silo); a load balancer sends traffic here.
        app.MapGet("/readyz", (HttpContext http) => http.RequestServices.GetService<ClusterConnection>() is { IsConnected: false }
                ? ClusterFailures.WriteUnavailable(http, "The API is still connecting to the control plane.")
                : http.Response.WriteAsJsonAsync(new { status = "ready" }))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/scalar", o => o.WithTitle("OrleansCloud API").WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();

        // Every route may answer these; each group adds its own (400, 403, 404, 409, ...).
        var api = app.MapGroup(RoutePrefix)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapAuthEndpoints();
        api.MapTenantEndpoints();
        api.MapUserEndpoints();
        api.MapTenantUserEndpoints();
        api.MapAreaEndpoints();
        api.MapImageEndpoints();
        api.MapHostEndpoints();
        api.MapTaskEndpoints();
        api.MapVmEndpoints();
        api.MapNetworkEndpoints();
        api.MapEventEndpoints();
        api.MapJobEndpoints();
        return app;
    }

    /// <summary>
    /// An exception that escaped an endpoint. A cluster or database that cannot be reached is a 503 the
    /// client may retry; anything else is a 500 that names no internals.
    /// </summary>
    private static Task WriteUnhandled(HttpContext http)
    {
        var exception = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (exception is BadHttpRequestException bad)
        {
            // The server's own refusal of what the client sent (a body over the limit, a truncated body): the client's fault.
            return bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? Problems.Write(http, JsonBody.TooLarge(JsonBody.LimitFor(http)))
                : Problems.Write(http, Error.Validation("request", "could not be read"), bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400);
        }

        if (ClusterFailures.IsUnavailable(exception))
        {
            return ClusterFailures.WriteUnavailable(http, "The control plane could not be reached in time; retry later.");
        }

        return Problems.Write(http, new Error(ErrorCodes.Internal, "An unexpected error occurred; it has been logged."));
    }

    private sealed class AuthOptionsCheck(IServiceProvider services) : IHostedService
    {
        /// <summary>Fails the start, with the list of what is missing, instead of the first request.</summary>
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<AuthOptions>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
