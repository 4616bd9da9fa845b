using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Cluster;
using OrleansCloud.Api.Errors;
using OrleansCloud.Events;

namespace OrleansCloud.Api.Events;

/// <summary>
/// <c>GET /tenant/events</c>: the tenant's events as server-sent events. Each has the tenant-wide
/// sequence as its id, so a client that reconnects with <c>Last-Event-ID</c> gets exactly what it missed
/// (as long as the log still holds it; otherwise a <c>reset</c> event says from where it resumes).
/// </summary>
public static class EventEndpoints
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static RouteGroupBuilder MapEventEndpoints(this RouteGroupBuilder api)
    {
        api.MapGroup("/tenant").WithTags("Events").RequireAuthorization(Policies.Tenant)
            .MapGet("/events", StreamEvents)
            .WithName("StreamTenantEvents")
            .WithMetadata(UnboundedClusterCalls.Instance)
            .WithSummary("Server-sent events of the tenant (task progress, resource states), resumable with Last-Event-ID.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    public static IResult StreamEvents(string? tenantId, HttpContext http, IGrainFactory grains)
    {
        var tenant = Caller.From(http.User).ResolveTenant(tenantId);
        if (!tenant.IsSuccess)
        {
            return Problems.From(tenant.Error, http);
        }

        var lastEventId = http.Request.Headers["Last-Event-ID"].ToString();
        long after = 0;
        if (lastEventId.Length > 0 && !long.TryParse(lastEventId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out after))
        {
            return Problems.Validation("Last-Event-ID", "must be the id of an event this stream sent", http);
        }

        var log = grains.Ref<ITenantEventLogGrain>(tenant.Value);
        return TypedResults.ServerSentEvents(Read(log, after, http.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<object>> Read(ITenantEventLogGrain log, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var quietSince = DateTime.UtcNow;
        var first = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            EventPage page;
            try
            {
                page = await log.ReadAfter(after, 100);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            if (first && after > 0 && page.OldestKept > after + 1)
            {
                // Some of what the client missed is no longer kept: say so before resuming.
                yield return new SseItem<object>(new { oldestKept = page.OldestKept, requestedAfter = after }, "reset");
            }

            first = false;
            foreach (var item in page.Events)
            {
                after = item.Sequence;
                quietSince = DateTime.UtcNow;
                var e = item.Event;
                yield return new SseItem<object>(
                    new { sequence = item.Sequence, eventId = e.EventId, tenantId = e.TenantId, type = e.Type, taskId = e.TaskId, resourceId = e.ResourceId, status = e.Status, message = e.Message, at = e.At },
                    e.Type)
                { EventId = item.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            }

            if (page.Events.Count > 0)
            {
                continue;
            }

            if (DateTime.UtcNow - quietSince > KeepAlive)
            {
                quietSince = DateTime.UtcNow;
                yield return new SseItem<object>(new { }, "keep-alive");
            }

            try
            {
                await Task.Delay(PollInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }
}
