namespace OrleansCloud.Api.Auth;

public sealed record TokenRequest(string? Username, string? Password);
