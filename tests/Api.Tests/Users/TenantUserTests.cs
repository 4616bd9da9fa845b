using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Users;

/// <summary>A tenant's users manage its members; nobody grants what they do not hold; changes count at once.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class TenantUserTests(AllInOneFactory factory)
{
    private const string Password = "correct-horse-battery";

    [Fact]
    public async Task AMemberWithUserAdd_AddsAUser_WhoSignsInWithThoseRightsOnly_AndIsListed()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, owner) = await admin.NewTenantWithUser(factory);
        var name = NewName();

        var added = await owner.PostJson("/api/v1/tenant/users", Json(new { username = name, password = Password, permissions = new[] { "vm.add" } }));

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal($"/api/v1/tenant/users/{name}", added.Headers.Location!.OriginalString);
        var member = await ApiSession.SignIn(factory, name, Password);
        var create = await member.PostTask(new { tenantId, action = "vm.create", data = new { name = "by-member" } });
        Assert.Equal(HttpStatusCode.Accepted, create.StatusCode);
        var vmId = (await member.FinalTask((await create.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>()))["result"]!["vmId"]!.GetValue<string>();
        await ApiSession.Problem(await member.PostTask(new { tenantId, action = "vm.delete", target = new { kind = "vm", refId = vmId } }), HttpStatusCode.Forbidden, "ERR_FORBIDDEN");
        await ApiSession.Problem(await member.PostJson("/api/v1/tenant/users", Json(new { username = NewName(), password = Password, permissions = Array.Empty<string>() })),
            HttpStatusCode.Forbidden, "ERR_FORBIDDEN");

        var members = (await owner.GetJson("/api/v1/tenant/users"))["items"]!.AsArray();
        Assert.Equal(["vm.add"], members.Single(m => m!["username"]!.GetValue<string>() == name)!["permissions"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(2, members.Count);
    }

    [Fact]
    public async Task NobodyGrantsAPermissionTheyDoNotHold_NotOnAddNorOnEdit()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, owner) = await admin.NewTenantWithUser(factory);
        var managerName = NewName();
        await Added(owner, managerName, ["user.add", "user.edit", "vm.add"]);
        var manager = await ApiSession.SignIn(factory, managerName, Password);
        var other = NewName();

        var escalateOnAdd = await manager.PostJson("/api/v1/tenant/users", Json(new { username = other, password = Password, permissions = new[] { "vm.delete" } }));
        var escalateSelf = await manager.Http.PutAsync($"/api/v1/tenant/users/{managerName}", Body(new { permissions = new[] { "user.add", "user.edit", "vm.add", "user.delete" } }));

        await ApiSession.Problem(escalateOnAdd, HttpStatusCode.Forbidden, "ERR_FORBIDDEN");
        await ApiSession.Problem(escalateSelf, HttpStatusCode.Forbidden, "ERR_FORBIDDEN");
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { username = other, password = Password })).StatusCode);
        Assert.Equal(3, (await Permissions(owner, managerName)).Count);
        Assert.Equal(HttpStatusCode.Created, (await manager.PostJson("/api/v1/tenant/users", Json(new { username = other, password = Password, permissions = new[] { "vm.add" } }))).StatusCode);
        Assert.Equal(tenantId, (await owner.GetJson("/api/v1/tenant/users"))["items"]!.AsArray().Select(m => m!["tenantId"]!.GetValue<string>()).Distinct().Single());
    }

    [Fact]
    public async Task TakingAPermissionAway_OrEndingAMembership_CountsAtOnce_EvenForATokenAlreadyIssued()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, owner) = await admin.NewTenantWithUser(factory);
        var name = NewName();
        await Added(owner, name, ["vm.add", "vm.edit"]);
        var member = await ApiSession.SignIn(factory, name, Password);

        var edited = await owner.Http.PutAsync($"/api/v1/tenant/users/{name}", Body(new { permissions = new[] { "vm.edit" } }));
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        await ApiSession.Problem(await member.PostTask(new { tenantId, action = "vm.create", data = new { name = "too-late" } }), HttpStatusCode.Forbidden, "ERR_FORBIDDEN");

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Http.DeleteAsync($"/api/v1/tenant/users/{name}")).StatusCode);
        await ApiSession.Problem(await member.Http.GetAsync($"/api/v1/tenant/vms?tenantId={tenantId}"), HttpStatusCode.Forbidden, "ERR_TENANT_MISMATCH");
        Assert.DoesNotContain((await owner.GetJson("/api/v1/tenant/users"))["items"]!.AsArray(), m => m!["username"]!.GetValue<string>() == name);
        await ApiSession.Problem(await owner.Http.DeleteAsync($"/api/v1/tenant/users/{name}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
    }

    [Fact]
    public async Task OwnMembership_CannotBeEnded_AnotherTenantsMembersAreNotFound_AndTakenNamesConflict()
    {
        var admin = await ApiSession.Admin(factory);
        var (_, owner) = await admin.NewTenantWithUser(factory);
        var (_, stranger) = await admin.NewTenantWithUser(factory);
        var ownerName = (await owner.GetJson("/api/v1/tenant/users"))["items"]!.AsArray().Single()!["username"]!.GetValue<string>();
        var strangerName = (await stranger.GetJson("/api/v1/tenant/users"))["items"]!.AsArray().Single()!["username"]!.GetValue<string>();

        await ApiSession.Problem(await owner.Http.DeleteAsync($"/api/v1/tenant/users/{ownerName}"), HttpStatusCode.Conflict, "ERR_CONFLICT");
        await ApiSession.Problem(await owner.Http.DeleteAsync($"/api/v1/tenant/users/{strangerName}"), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await ApiSession.Problem(await owner.Http.PutAsync($"/api/v1/tenant/users/{strangerName}", Body(new { permissions = Array.Empty<string>() })), HttpStatusCode.NotFound, "ERR_NOT_FOUND");
        await ApiSession.Problem(await owner.PostJson("/api/v1/tenant/users", Json(new { username = strangerName, password = Password, permissions = new[] { "vm.add" } })),
            HttpStatusCode.Conflict, "ERR_CONFLICT");

        Assert.Single((await stranger.GetJson("/api/v1/tenant/users"))["items"]!.AsArray());
        Assert.Equal(9, (await Permissions(stranger, strangerName)).Count);
    }

    [Theory]
    [InlineData("""{"username":"ok-name","password":"correct-horse-battery","permissions":["vm.fly"]}""", "permissions")]
    [InlineData("""{"username":"ok-name","password":"short","permissions":[]}""", "password")]
    [InlineData("""{"username":"Bad Name","password":"correct-horse-battery","permissions":[]}""", "username")]
    [InlineData("""{"username":"ok-name","password":"correct-horse-battery"}""", "permissions")]
    [InlineData("""{"username":"ok-name","password":"correct-horse-battery","permissions":[],"admin":true}""", "admin")]
    [InlineData("""{"username":"ok-name",""", "body")]
    public async Task BadMemberBodies_AreValidationErrors_AndCreateNobody(string body, string field)
    {
        var admin = await ApiSession.Admin(factory);
        var (_, owner) = await admin.NewTenantWithUser(factory);

        var problem = await ApiSession.Problem(await owner.PostJson("/api/v1/tenant/users", body), HttpStatusCode.BadRequest, "ERR_VALIDATION");

        Assert.Contains(problem["errors"]!.AsObject(), e => e.Key.StartsWith(field, StringComparison.OrdinalIgnoreCase));
        Assert.Single((await owner.GetJson("/api/v1/tenant/users"))["items"]!.AsArray());
    }

    private static string NewName() => "m" + Guid.NewGuid().ToString("N")[..10];

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static StringContent Body(object value) => new(Json(value), Encoding.UTF8, "application/json");

    private static async Task Added(ApiSession session, string name, string[] permissions)
    {
        var response = await session.PostJson("/api/v1/tenant/users", Json(new { username = name, password = Password, permissions }));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static async Task<List<string>> Permissions(ApiSession session, string name) =>
        [.. (await session.GetJson("/api/v1/tenant/users"))["items"]!.AsArray()
            .Single(m => m!["username"]!.GetValue<string>() == name)!["permissions"]!.AsArray().Select(p => p!.GetValue<string>())];
}
