using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Errors;
using OrleansCloud.Api.Tenants;
using OrleansCloud.Tenants;
using OrleansCloud.Users;

namespace OrleansCloud.Api.Users;

public static class UserEndpoints
{
    public static RouteGroupBuilder MapUserEndpoints(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin/users").WithTags("Users").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/", CreateUser).WithName("CreateUser").Accepts<CreateUserRequest>("application/json").ReplaysIdempotentRequests();
        admin.MapGet("/", ListUsers).WithName("ListUsers");
        admin.MapGet("/{username}", GetUser).WithName("GetUser");
        return api;
    }

    public static async Task<Results<Created<UserDto>, ProblemHttpResult>> CreateUser(
        HttpContext http, IGrainFactory grains, AuthOptions auth, Passwords passwords, CancellationToken cancellationToken)
    {
        var body = await JsonBody.Read<CreateUserRequest>(http, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error, http);
        }

        var request = body.Value;
        var errors = new Dictionary<string, string[]>();
        UserRules.CheckCredentials(request.Username, request.Password, auth, errors);

        var memberships = request.Memberships ?? [];
        if (memberships.Count is 0 or > UserRules.MaxMemberships)
        {
            errors["memberships"] = [$"1 to {UserRules.MaxMemberships} memberships are required"];
            memberships = [];
        }

        for (var i = 0; i < memberships.Count; i++)
        {
            var m = memberships[i];
            if (m is null)
            {
                errors[$"memberships[{i}]"] = ["must be an object with tenantId and permissions"];
                continue;
            }

            if (!Names.IsValid(m.TenantId) || !(await grains.Ref<ITenantGrain>(m.TenantId!).Get()).IsSuccess)
            {
                errors[$"memberships[{i}].tenantId"] = ["must name an existing tenant"];
            }

            if (UserRules.UnknownPermissions(m.Permissions ?? []) is { } unknown)
            {
                errors[$"memberships[{i}].permissions"] = unknown;
            }
        }

        if (memberships.Where(m => m is not null).GroupBy(m => m.TenantId).Any(g => g.Count() > 1))
        {
            errors["memberships"] = ["each tenant may appear once"];
        }

        if (errors.Count > 0)
        {
            return Problems.From(Error.Validation(errors), http);
        }

        var created = await grains.Ref<IUserGrain>(request.Username!).Create(
            passwords.Hash(request.Password!),
            [.. memberships.Select(m => new Membership(m.TenantId!, [.. (m.Permissions ?? []).Distinct(StringComparer.Ordinal)]))]);
        if (!created.IsSuccess)
        {
            return Problems.From(created.Error, http);
        }

        await grains.Ref<IDirectoryGrain>(DirectoryKeys.Users).Add(request.Username!);
        foreach (var membership in created.Value.Memberships)
        {
            await grains.Ref<IDirectoryGrain>(DirectoryKeys.MembersOf(membership.TenantId)).Add(request.Username!);
        }

        return TypedResults.Created($"/api/v1/admin/users/{request.Username}", UserDto.From(created.Value));
    }

    public static async Task<Ok<ItemsDto<UserDto>>> ListUsers(IGrainFactory grains)
    {
        var names = await grains.Ref<IDirectoryGrain>(DirectoryKeys.Users).List();
        var users = await Task.WhenAll(names.Select(n => grains.Ref<IUserGrain>(n).Get()));
        return TypedResults.Ok(new ItemsDto<UserDto>([.. users.Where(u => u.IsSuccess).Select(u => UserDto.From(u.Value!))]));
    }

    public static async Task<Results<Ok<UserDto>, ProblemHttpResult>> GetUser(string username, HttpContext http, IGrainFactory grains)
    {
        var user = await grains.Ref<IUserGrain>(username).Get();
        return user.IsSuccess ? TypedResults.Ok(UserDto.From(user.Value)) : Problems.From(user.Error, http);
    }
}
