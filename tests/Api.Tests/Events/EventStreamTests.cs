using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Events;

/// <summary>GET /tenant/events: the tenant's task progress as server-sent events, resumable with Last-Event-ID.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class EventStreamTests(AllInOneFactory factory)
{
    private sealed record Sse(long Id, string Type, JsonObject Data);

    [Fact]
    public async Task AVmCreate_IsStreamedStepByStep_AndAReconnectResumesAfterTheLastId()
    {
        var admin = await ApiSession.Admin(factory);
        var (tenantId, user) = await admin.NewTenantWithUser(factory);
        var accepted = await user.PostTask(new { tenantId, action = "vm.create", data = new { name = "streamed" } });
        var taskId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();

        var events = await ReadUntil(user, null, e => e.Type == "task.succeeded");

        var ofTask = events.Where(e => e.Data["taskId"]?.GetValue<string>() == taskId).Select(e => e.Type).ToList();
        Assert.Equal(["task.accepted", "task.running", "task.succeeded"], ofTask);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Id));
        Assert.All(events, e => Assert.Equal(tenantId, e.Data["tenantId"]!.GetValue<string>()));

        var resumed = await ReadUntil(user, events[0].Id, e => e.Type == "task.succeeded");
        Assert.Equal(events.Skip(1).Select(e => e.Id), resumed.Select(e => e.Id));
    }

    [Fact]
    public async Task AnExternalJob_IsStreamed_FromStartThroughItsStepsToItsEnd()
    {
        var admin = await ApiSession.Admin(factory);
        var (_, user) = await admin.NewTenantWithUser(factory);
        var created = await user.PostJson("/api/v1/tenant/jobs", """{"description":"nightly backup","actionType":"backup.run"}""");
        var jobId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<string>();
        var step = await user.PostJson($"/api/v1/tenant/jobs/{jobId}/steps", """{"description":"copy"}""");
        var stepId = (await step.Content.ReadFromJsonAsync<JsonObject>())!["stepId"]!.GetValue<string>();
        await user.PostJson($"/api/v1/tenant/jobs/{jobId}/steps/{stepId}/end", """{"succeeded":false}""");
        await user.PostJson($"/api/v1/tenant/jobs/{jobId}/end", """{"status":"FAILED"}""");

        var events = await ReadUntil(user, null, e => e.Type == "job.failed");

        var ofJob = events.Where(e => e.Data["resourceId"]?.GetValue<string>() == jobId).Select(e => e.Type).ToList();
        Assert.Equal(["job.started", "job.step.started", "job.step.failed", "job.failed"], ofJob);
    }

    [Fact]
    public async Task AnotherTenantsStream_IsATenantMismatch_AndNoTokenIs401()
    {
        var admin = await ApiSession.Admin(factory);
        var (_, user) = await admin.NewTenantWithUser(factory);

        var mismatch = await user.Http.GetAsync("/api/v1/tenant/events?tenantId=someone-else");
        var anonymous = await factory.CreateClient().GetAsync("/api/v1/tenant/events");

        await ApiSession.Problem(mismatch, HttpStatusCode.Forbidden, "ERR_TENANT_MISMATCH");
        await ApiSession.Problem(anonymous, HttpStatusCode.Unauthorized, "ERR_UNAUTHENTICATED");
    }

    /// <summary>Reads the stream until an event matches (bounded), then hangs up.</summary>
    private static async Task<List<Sse>> ReadUntil(ApiSession user, long? lastEventId, Func<Sse, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tenant/events");
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await user.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<Sse>();
        string? type = null, data = null, eventId = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (type is not null && eventId is not null && data is not null)
                {
                    var item = new Sse(long.Parse(eventId, System.Globalization.CultureInfo.InvariantCulture), type, JsonNode.Parse(data)!.AsObject());
                    events.Add(item);
                    if (done(item))
                    {
                        return events;
                    }
                }

                (type, data, eventId) = (null, null, null);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                eventId = line[4..];
            }
        }

        throw new InvalidOperationException("the event stream ended early");
    }
}
