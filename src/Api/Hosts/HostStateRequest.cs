namespace OrleansCloud.Api.Hosts;

/// <summary><c>PUT /admin/hosts/{hostName}/state</c>: <c>up</c>, <c>maintenance</c> or <c>fenced</c>.</summary>
public sealed record HostStateRequest(string? State);
