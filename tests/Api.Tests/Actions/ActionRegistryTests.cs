using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrleansCloud.Api.Actions;
using OrleansCloud.Api.Tests.Http;
using OrleansCloud.Grains.Actions;

namespace OrleansCloud.Api.Tests.Actions;

/// <summary>
/// Every action is one definition in each part: the engine's registry, the API's schema registry and
/// the OpenAPI document must name the same actions, each with its payload, schema and compensation.
/// </summary>
[Collection(AllInOneCollection.Name)]
public sealed class ActionRegistryTests(AllInOneFactory factory)
{
    [Fact]
    public async Task EveryAction_HasADefinition_APayload_ASchema_AndAnOpenApiSchema()
    {
        var definitions = factory.Services.GetRequiredService<TaskActionRegistry>().All;
        var schemas = factory.Services.GetRequiredService<TaskActionSchemas>();
        var document = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var components = document["components"]!["schemas"]!.AsObject();
        var mapping = components[TaskActionsOpenApi.SubmissionSchema]!["discriminator"]!["mapping"]!.AsObject();

        Assert.NotEmpty(definitions);
        Assert.Equal(definitions.Select(d => d.Name).Order(), schemas.Names.Order());
        Assert.Equal(definitions.Select(d => d.Name).Order(), mapping.Select(m => m.Key).Order());
        foreach (var definition in definitions)
        {
            var schema = schemas.Find(definition.Name);
            Assert.NotNull(schema);
            Assert.True(typeof(global::OrleansCloud.Tasks.TaskPayload).IsAssignableFrom(definition.PayloadType), $"{definition.Name} has no payload record");
            Assert.Equal(definition.TargetKind, schema.TargetKind);
            Assert.True(components.ContainsKey(TaskActionsOpenApi.DataSchemaName(definition.Name)), $"{definition.Name} has no data schema");
            Assert.True(components.ContainsKey(TaskActionsOpenApi.TaskSchemaName(definition.Name)), $"{definition.Name} has no task schema");
            Assert.Equal(definition.Name, components[TaskActionsOpenApi.TaskSchemaName(definition.Name)]!["properties"]!["action"]!["enum"]![0]!.GetValue<string>());

            // Reservation, undo and compensation are implemented, not left abstract.
            foreach (var method in new[] { nameof(ITaskActionDefinition.Reserve), nameof(ITaskActionDefinition.Unreserve), nameof(ITaskActionDefinition.Compensate) })
            {
                Assert.False(definition.GetType().GetMethod(method)!.IsAbstract, $"{definition.Name} lacks {method}");
            }
        }
    }

    [Fact]
    public async Task OpenApi_TypesVmCreate_CpuIsAnIntegerWithItsBounds_AndTheTaskBodyIsAOneOfByAction()
    {
        var document = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var components = document["components"]!["schemas"]!;

        var cpu = components["VmCreateData"]!["properties"]!["cpu"]!;
        Assert.Equal("integer", cpu["type"]!.GetValue<string>());
        Assert.Equal(1m, decimal.Parse(cpu["minimum"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(64m, decimal.Parse(cpu["maximum"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(cpu["default"]); // the image's default: no fixed one
        Assert.Contains("name", components["VmCreateData"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));

        var body = document["paths"]!["/api/v1/tenant/tasks"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;
        Assert.Equal($"#/components/schemas/{TaskActionsOpenApi.SubmissionSchema}", body["$ref"]!.GetValue<string>());
        Assert.Equal("action", components[TaskActionsOpenApi.SubmissionSchema]!["discriminator"]!["propertyName"]!.GetValue<string>());
        Assert.Contains("rolledBack", components["TaskDto"]!["properties"]!["status"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains("stopped", components["VmDto"]!["properties"]!["state"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task RebootEditAndMigrate_ThroughRestSugar_RunAsTasks()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory);
        var created = await user.PostTask(new { tenantId, action = "vm.create", data = new { name = "sugar", cpu = 1, ram = "512MB" } });
        var vmId = (await user.FinalTask(await TaskId(created)))["result"]!["vmId"]!.GetValue<string>();
        var host = (await user.GetJson($"/api/v1/tenant/vms/{vmId}"))["host"]!.GetValue<string>();

        var reboot = await user.Http.PostAsync($"/api/v1/tenant/vms/{vmId}/reboot", JsonContent("{\"force\":true}"));
        Assert.Equal("succeeded", (await user.FinalTask(await TaskId(reboot)))["status"]!.GetValue<string>());

        var migrate = await user.Http.PostAsync($"/api/v1/tenant/vms/{vmId}/migrate", null);
        var migrated = await user.FinalTask(await TaskId(migrate));
        Assert.Equal(("succeeded", "vm.migrate"), (migrated["status"]!.GetValue<string>(), migrated["action"]!.GetValue<string>()));
        var moved = await user.GetJson($"/api/v1/tenant/vms/{vmId}");
        Assert.NotEqual(host, moved["host"]!.GetValue<string>());
        Assert.Equal("running", moved["state"]!.GetValue<string>());

        // vm.edit needs a stopped VM.
        var running = await user.Http.PatchAsync($"/api/v1/tenant/vms/{vmId}", JsonContent("{\"cpu\":2}"));
        await ApiSession.Problem(running, HttpStatusCode.Conflict, "ERR_INVALID_STATE_TRANSITION");
        await user.FinalTask(await TaskId(await user.Http.PostAsync($"/api/v1/tenant/vms/{vmId}/stop", JsonContent("{\"force\":true}"))));
        var edit = await user.Http.PatchAsync($"/api/v1/tenant/vms/{vmId}", JsonContent("{\"cpu\":2,\"ram\":\"1GB\"}"));
        Assert.Equal("succeeded", (await user.FinalTask(await TaskId(edit)))["status"]!.GetValue<string>());
        var resized = await user.GetJson($"/api/v1/tenant/vms/{vmId}");
        Assert.Equal((2, 1024L), (resized["cpu"]!.GetValue<int>(), resized["ramMb"]!.GetValue<long>()));
        var quota = await user.GetJson("/api/v1/tenant/quota");
        Assert.Equal((2, 1024L), (quota["used"]!["vcpus"]!.GetValue<int>(), quota["used"]!["ramMb"]!.GetValue<long>()));

        // A disk never shrinks, and an unknown field is named.
        await ApiSession.Problem(await user.Http.PatchAsync($"/api/v1/tenant/vms/{vmId}", JsonContent("{\"disk\":\"1GB\"}")), HttpStatusCode.BadRequest, "ERR_VALIDATION");
        await ApiSession.Problem(await user.Http.PatchAsync($"/api/v1/tenant/vms/{vmId}", JsonContent("{\"cores\":2}")), HttpStatusCode.BadRequest, "ERR_VALIDATION");
        await ApiSession.Problem(await user.Http.PatchAsync($"/api/v1/tenant/vms/{vmId}", JsonContent("{}")), HttpStatusCode.BadRequest, "ERR_VALIDATION");
    }

    [Fact]
    public async Task DataThatIsNotAnObject_IsRefused_ForEveryAction()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory);
        foreach (var action in factory.Services.GetRequiredService<TaskActionSchemas>().All)
        {
            var target = action.TargetKind is { } kind ? new { kind, refId = "vm-none" } : null;
            await ApiSession.Problem(await user.PostTask(new { tenantId, action = action.Name, target, data = 5 }), HttpStatusCode.BadRequest, "ERR_VALIDATION");
        }
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static async Task<string> TaskId(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonNode.Parse(body)!["taskId"]!.GetValue<string>();
    }
}
