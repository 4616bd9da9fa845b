namespace OrleansCloud.Api.Auth;

/// <summary>The token is sound but its user no longer exists.</summary>
public sealed class UserGoneException() : Exception("The token's user no longer exists.");
