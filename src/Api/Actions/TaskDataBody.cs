namespace OrleansCloud.Api.Actions;

/// <summary>Endpoint metadata: the route's JSON body is the <c>data</c> of <paramref name="Action"/> (REST sugar for a task).</summary>
public sealed record TaskDataBody(string Action);
