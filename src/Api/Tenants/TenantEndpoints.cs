using System.Globalization;
using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Errors;
using OrleansCloud.Tenants;

namespace OrleansCloud.Api.Tenants;

public static class TenantEndpoints
{
    public static RouteGroupBuilder MapTenantEndpoints(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin/tenants").WithTags("Tenants").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        admin.MapPost("/", CreateTenant).WithName("CreateTenant").Accepts<CreateTenantRequest>("application/json").ReplaysIdempotentRequests();
        admin.MapGet("/", ListTenants).WithName("ListTenants");
        admin.MapGet("/{tenantId}", GetTenant).WithName("GetTenant");
        admin.MapPut("/{tenantId}/quota", SetQuota).WithName("SetTenantQuota")
            .WithSummary("Replace the tenant's four limits; every field is required.").Accepts<QuotaRequest>("application/json");

        api.MapGroup("/tenant").WithTags("Tenants").RequireAuthorization(Policies.Tenant)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .MapGet("/quota", GetQuota).WithName("GetQuota");
        return api;
    }

    public static async Task<Results<Created<TenantDto>, ProblemHttpResult>> CreateTenant(
        HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var body = await JsonBody.Read<CreateTenantRequest>(http, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error, http);
        }

        var request = body.Value;
        var errors = new Dictionary<string, string[]>();
        if (!Names.IsValid(request.TenantId))
        {
            errors["tenantId"] = ["must be 1-63 lower-case letters, digits or inner hyphens"];
        }

        if (!TextRules.IsDisplayText(request.Name, TextRules.MaxDisplayNameLength))
        {
            errors["name"] = [TextRules.Rule(TextRules.MaxDisplayNameLength)];
        }

        if (request.Quota is null)
        {
            errors["quota"] = ["is required"];
        }
        else
        {
            foreach (var (field, message) in request.Quota.Problems("quota"))
            {
                errors[field] = [message];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.From(Error.Validation(errors), http);
        }

        var created = await grains.Ref<ITenantGrain>(request.TenantId!).Create(request.Name!, request.Quota!.ToAmount());
        if (!created.IsSuccess)
        {
            return Problems.From(created.Error, http);
        }

        await grains.Ref<IDirectoryGrain>(DirectoryKeys.Tenants).Add(request.TenantId!);
        return TypedResults.Created($"/api/v1/admin/tenants/{request.TenantId}", TenantDto.From(created.Value));
    }

    public static async Task<Ok<ItemsDto<TenantDto>>> ListTenants(IGrainFactory grains)
    {
        var ids = await grains.Ref<IDirectoryGrain>(DirectoryKeys.Tenants).List();
        var tenants = await Task.WhenAll(ids.Select(id => grains.Ref<ITenantGrain>(id).Get()));
        return TypedResults.Ok(new ItemsDto<TenantDto>([.. tenants.Where(t => t.IsSuccess).Select(t => TenantDto.From(t.Value!))]));
    }

    public static async Task<Results<Ok<TenantDto>, ProblemHttpResult>> GetTenant(string tenantId, HttpContext http, IGrainFactory grains)
    {
        var tenant = await grains.Ref<ITenantGrain>(tenantId).Get();
        return tenant.IsSuccess ? TypedResults.Ok(TenantDto.From(tenant.Value)) : Problems.From(tenant.Error, http);
    }

    /// <summary>Changes the limits; an <c>If-Match</c> header with the tenant's version makes the write conditional.</summary>
    public static async Task<Results<Ok<TenantDto>, ProblemHttpResult>> SetQuota(
        string tenantId, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var body = await JsonBody.Read<QuotaRequest>(http, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error, http);
        }

        var errors = body.Value.Problems("quota").ToDictionary(p => p.Field, p => new[] { p.Message });
        if (errors.Count > 0)
        {
            return Problems.From(Error.Validation(errors), http);
        }

        long? expected = null;
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0)
        {
            if (!long.TryParse(ifMatch.Trim('"', 'W', '/'), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                return Problems.Validation("If-Match", "must be the tenant's version, e.g. \"3\"", http);
            }

            expected = version;
        }

        var updated = await grains.Ref<ITenantGrain>(tenantId).SetQuota(body.Value.ToAmount(), expected);
        return updated.IsSuccess ? TypedResults.Ok(TenantDto.From(updated.Value)) : Problems.From(updated.Error, http);
    }

    public static async Task<Results<Ok<QuotaUsageDto>, ProblemHttpResult>> GetQuota(string? tenantId, HttpContext http, IGrainFactory grains)
    {
        var tenant = Caller.From(http.User).ResolveTenant(tenantId);
        if (!tenant.IsSuccess)
        {
            return Problems.From(tenant.Error, http);
        }

        var quota = await grains.Ref<ITenantGrain>(tenant.Value).GetQuota();
        return quota.IsSuccess
            ? TypedResults.Ok(new QuotaUsageDto(QuotaDto.From(quota.Value.Limits), QuotaDto.From(quota.Value.Used), QuotaDto.From(quota.Value.Held)))
            : Problems.From(quota.Error, http);
    }
}
