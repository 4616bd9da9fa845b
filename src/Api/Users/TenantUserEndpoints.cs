using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Errors;
using OrleansCloud.Api.Tenants;
using OrleansCloud.Tenants;
using OrleansCloud.Users;

namespace OrleansCloud.Api.Users;

/// <summary>
/// <c>/tenant/users</c>: a tenant's own users manage its members with user.add, user.edit and user.delete.
/// Nobody grants a permission they do not hold in the tenant, so no member can raise their own rights.
/// </summary>
public static class TenantUserEndpoints
{
    public static RouteGroupBuilder MapTenantUserEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tenant/users").WithTags("Users").RequireAuthorization(Policies.Tenant)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/", ListMembers).WithName("ListTenantUsers").WithSummary("The tenant's members and their permissions.");
        group.MapPost("/", AddMember).WithName("AddTenantUser").WithSummary("Create a user who is a member of this tenant (needs user.add).")
            .Accepts<AddTenantUserRequest>("application/json").ProducesProblem(StatusCodes.Status409Conflict).ReplaysIdempotentRequests();
        group.MapPut("/{username}", EditMember).WithName("EditTenantUser").WithSummary("Replace a member's permissions (needs user.edit).")
            .Accepts<EditTenantUserRequest>("application/json");
        group.MapDelete("/{username}", RemoveMember).WithName("RemoveTenantUser").WithSummary("End a user's membership (needs user.delete).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Results<Ok<ItemsDto<TenantMemberDto>>, ProblemHttpResult>> ListMembers(string? tenantId, HttpContext http, IGrainFactory grains)
    {
        var tenant = Caller.From(http.User).ResolveTenant(tenantId);
        if (!tenant.IsSuccess)
        {
            return Problems.From(tenant.Error, http);
        }

        var names = await grains.Ref<IDirectoryGrain>(DirectoryKeys.MembersOf(tenant.Value)).List();
        var users = await Task.WhenAll(names.Select(n => grains.Ref<IUserGrain>(n).Get()));
        return TypedResults.Ok(new ItemsDto<TenantMemberDto>([.. users.Where(u => u.IsSuccess).Select(u => Member(u.Value!, tenant.Value)).OfType<TenantMemberDto>()]));
    }

    public static async Task<Results<Created<TenantMemberDto>, ProblemHttpResult>> AddMember(
        HttpContext http, IGrainFactory grains, AuthOptions auth, Passwords passwords, CancellationToken cancellationToken)
    {
        var body = await JsonBody.Read<AddTenantUserRequest>(http, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error, http);
        }

        var request = body.Value;
        var caller = Caller.From(http.User);
        var tenant = caller.ResolveTenant(request.TenantId);
        if (!tenant.IsSuccess)
        {
            return Problems.From(tenant.Error, http);
        }

        var errors = new Dictionary<string, string[]>();
        UserRules.CheckCredentials(request.Username, request.Password, auth, errors);

        CheckPermissions(request.Permissions, errors);
        if (errors.Count > 0)
        {
            return Problems.From(Error.Validation(errors), http);
        }

        var permissions = request.Permissions!.Distinct(StringComparer.Ordinal).ToList();
        var refused = Grantable(caller, tenant.Value, Permissions.UserAdd, permissions);
        if (refused is not null)
        {
            return Problems.From(refused, http);
        }

        if (!(await grains.Ref<ITenantGrain>(tenant.Value).Get()).IsSuccess)
        {
            return Problems.Of(ErrorCodes.NotFound, $"Tenant '{tenant.Value}' was not found.", http);
        }

        var created = await grains.Ref<IUserGrain>(request.Username!).Create(
            passwords.Hash(request.Password!), [new Membership(tenant.Value, permissions)]);
        if (!created.IsSuccess)
        {
            return Problems.From(created.Error, http);
        }

        await grains.Ref<IDirectoryGrain>(DirectoryKeys.Users).Add(request.Username!);
        await grains.Ref<IDirectoryGrain>(DirectoryKeys.MembersOf(tenant.Value)).Add(request.Username!);
        return TypedResults.Created($"/api/v1/tenant/users/{request.Username}", Member(created.Value, tenant.Value));
    }

    public static async Task<Results<Ok<TenantMemberDto>, ProblemHttpResult>> EditMember(
        string username, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var body = await JsonBody.Read<EditTenantUserRequest>(http, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error, http);
        }

        var caller = Caller.From(http.User);
        var tenant = caller.ResolveTenant(body.Value.TenantId);
        if (!tenant.IsSuccess)
        {
            return Problems.From(tenant.Error, http);
        }

        var errors = new Dictionary<string, string[]>();
        CheckPermissions(body.Value.Permissions, errors);
        if (errors.Count > 0)
        {
            return Problems.From(Error.Validation(errors), http);
        }

        var permissions = body.Value.Permissions!.Distinct(StringComparer.Ordinal).ToList();
        var refused = Grantable(caller, tenant.Value, Permissions.UserEdit, permissions);
        if (refused is not null)
        {
            return Problems.From(refused, http);
        }

        var member = await FindMember(username, tenant.Value, grains);
        if (!member.IsSuccess)
        {
            return Problems.From(member.Error, http);
        }

        var edited = await grains.Ref<IUserGrain>(username).SetMembership(new Membership(tenant.Value, permissions));
        return edited.IsSuccess ? TypedResults.Ok(Member(edited.Value, tenant.Value)!) : Problems.From(edited.Error, http);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveMember(string username, string? tenantId, HttpContext http, IGrainFactory grains)
    {
        var caller = Caller.From(http.User);
        var tenant = caller.ResolveTenant(tenantId);
        if (!tenant.IsSuccess)
        {
            return Problems.From(tenant.Error, http);
        }

        if (!caller.Can(tenant.Value, Permissions.UserDelete))
        {
            return Problems.Of(ErrorCodes.Forbidden, $"The caller lacks the permission '{Permissions.UserDelete}' in tenant '{tenant.Value}'.", http);
        }

        var member = await FindMember(username, tenant.Value, grains);
        if (!member.IsSuccess)
        {
            return Problems.From(member.Error, http);
        }

        if (username == caller.Username)
        {
            return Problems.Of(ErrorCodes.Conflict, "A member cannot end their own membership; another member with user.delete can.", http);
        }

        var removed = await grains.Ref<IUserGrain>(username).RemoveMembership(tenant.Value);
        if (!removed.IsSuccess)
        {
            return Problems.From(removed.Error, http);
        }

        await grains.Ref<IDirectoryGrain>(DirectoryKeys.MembersOf(tenant.Value)).Remove(username);
        return TypedResults.NoContent();
    }

    private static void CheckPermissions(IReadOnlyList<string>? permissions, Dictionary<string, string[]> errors)
    {
        if (permissions is null)
        {
            errors["permissions"] = ["is required (it may be empty)"];
            return;
        }

        if (UserRules.UnknownPermissions(permissions) is { } unknown)
        {
            errors["permissions"] = unknown;
        }
    }

    /// <summary>The caller needs the action's permission, and every permission it grants.</summary>
    private static Error? Grantable(Caller caller, string tenantId, string needed, IReadOnlyList<string> granted)
    {
        if (!caller.Can(tenantId, needed))
        {
            return new Error(ErrorCodes.Forbidden, $"The caller lacks the permission '{needed}' in tenant '{tenantId}'.");
        }

        var beyond = granted.Where(p => !caller.Can(tenantId, p)).ToList();
        return beyond.Count > 0
            ? new Error(ErrorCodes.Forbidden, $"The caller cannot grant permissions it does not hold in tenant '{tenantId}': {string.Join(", ", beyond)}.")
            : null;
    }

    /// <summary>The user if it is a member of the tenant; anyone else is not found, members of other tenants included.</summary>
    private static async Task<Result<UserView>> FindMember(string username, string tenantId, IGrainFactory grains)
    {
        var notFound = Error.NotFound($"Member '{username}' of tenant '{tenantId}'");
        if (!Names.IsValid(username))
        {
            return notFound;
        }

        var user = await grains.Ref<IUserGrain>(username).Get();
        return user.IsSuccess && user.Value.Memberships.Any(m => m.TenantId == tenantId) ? user.Value : notFound;
    }

    private static TenantMemberDto? Member(UserView user, string tenantId) =>
        user.Memberships.FirstOrDefault(m => m.TenantId == tenantId) is { } membership
            ? new TenantMemberDto(user.Username, tenantId, membership.Permissions, user.CreatedAt)
            : null;
}
