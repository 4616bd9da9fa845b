namespace OrleansCloud.Api.Auth;

public static class ClaimNames
{
    public const string Subject = "sub";
    public const string Scope = "scope";
    public const string Membership = "membership";
    public const string AdminScope = "admin";
    public const string TenantScope = "tenant";
}
