using System.Security.Cryptography;
using System.Text;
using OrleansCloud.Api.Auth;
using OrleansCloud.Api.Errors;
using OrleansCloud.Api.Tasks;
using OrleansCloud.Idempotency;

namespace OrleansCloud.Api;

/// <summary>
/// <c>Idempotency-Key</c> on the POST routes marked with <see cref="IdempotentRoute"/> (creating tenants, users,
/// jobs, steps, and ending or clearing jobs): the first successful answer is kept for 24 hours; a retry by
/// the same caller to the same route with the same key and the same body (and query) gets that answer
/// again, marked <c>Idempotent-Replayed: true</c>; the same key with another body is 409
/// <c>ERR_CONFLICT</c>, as is a retry while the first attempt still runs. A failed attempt keeps nothing,
/// so it may be retried. The tasks route keeps its own scheme (the key names the task).
/// </summary>
public static class IdempotentRequests
{
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>Answers larger than this are not kept (a retry then runs again and meets the resource's own conflict).</summary>
    public const int MaxKeptAnswerBytes = 64 * 1024;

    public static TBuilder ReplaysIdempotentRequests<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new IdempotentRoute());

    public static IApplicationBuilder UseOrleansCloudIdempotency(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var key = http.Request.Headers[TaskEndpoints.IdempotencyHeader].ToString();
        if (key.Length == 0 || !HttpMethods.IsPost(http.Request.Method) || http.GetEndpoint()?.Metadata.GetMetadata<IdempotentRoute>() is null
            || http.User.Identity?.IsAuthenticated != true)
        {
            await next(http);
            return;
        }

        var checkedKey = TaskEndpoints.ReadIdempotencyKey(http);
        if (!checkedKey.IsSuccess)
        {
            await Problems.Write(http, checkedKey.Error);
            return;
        }

        var body = await ReadBody(http);
        if (body is null)
        {
            await next(http); // over the limit: the handler answers 413
            return;
        }

        var caller = http.User.FindFirst(ClaimNames.Subject)?.Value ?? "";
        var grain = http.RequestServices.GetRequiredService<IGrainFactory>().Ref<IIdempotencyGrain>(Hash($"{caller}\n{http.Request.Path}\n{key}"));
        var fingerprint = Hash($"{http.Request.Method}\n{http.Request.Path}\n{http.Request.QueryString}\n") + Convert.ToHexStringLower(SHA256.HashData(body));
        var claim = await grain.Begin(fingerprint);
        switch (claim.Outcome)
        {
            case IdempotencyOutcome.Replay:
                await Replay(http, claim.Reply!);
                return;
            case IdempotencyOutcome.Mismatch:
                await Problems.Write(http, Error.Conflict($"The {TaskEndpoints.IdempotencyHeader} was already used for a different request."));
                return;
            case IdempotencyOutcome.InProgress:
                http.Response.Headers.RetryAfter = "1";
                await Problems.Write(http, Error.Conflict($"A request with this {TaskEndpoints.IdempotencyHeader} is still running; retry shortly."));
                return;
        }

        var original = http.Response.Body;
        using var captured = new MemoryStream();
        http.Response.Body = captured;
        var succeeded = false;
        try
        {
            await next(http);
            succeeded = http.Response.StatusCode is >= 200 and < 300 && captured.Length <= MaxKeptAnswerBytes;
            if (succeeded)
            {
                await grain.Complete(fingerprint, new IdempotentReply(
                    http.Response.StatusCode, http.Response.ContentType, http.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null, captured.ToArray()));
            }
        }
        finally
        {
            http.Response.Body = original;
            if (!succeeded)
            {
                await grain.Abandon(fingerprint);
            }

            captured.Position = 0;
            await captured.CopyToAsync(original, http.RequestAborted);
        }
    });

    private static async Task<byte[]?> ReadBody(HttpContext http)
    {
        var limit = JsonBody.LimitFor(http);
        if (http.Request.ContentLength > limit)
        {
            return null;
        }

        http.Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: limit);
        using var copy = new MemoryStream();
        try
        {
            await http.Request.Body.CopyToAsync(copy, http.RequestAborted);
        }
        catch (IOException)
        {
            http.Request.Body.Position = 0;
            return null;
        }

        http.Request.Body.Position = 0;
        return copy.ToArray();
    }

    private static Task Replay(HttpContext http, IdempotentReply reply)
    {
        http.Response.StatusCode = reply.Status;
        http.Response.ContentType = reply.ContentType;
        if (reply.Location is not null)
        {
            http.Response.Headers.Location = reply.Location;
        }

        http.Response.Headers[ReplayedHeader] = "true";
        return http.Response.Body.WriteAsync(reply.Body, http.RequestAborted).AsTask();
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
