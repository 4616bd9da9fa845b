namespace OrleansCloud.Api.Auth;

public static class Policies
{
    /// <summary>Administrators only.</summary>
    public const string Admin = "admin";

    /// <summary>Any signed-in caller; tenant membership is checked per request.</summary>
    public const string Tenant = "tenant";
}
