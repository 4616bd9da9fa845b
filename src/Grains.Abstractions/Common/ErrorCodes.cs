namespace OrleansCloud.Common;

/// <summary>The error codes of the HTTP contract (api.md). The API maps each one to a status.</summary>
public static class ErrorCodes
{
    public const string Validation = "ERR_VALIDATION";
    public const string Unauthenticated = "ERR_UNAUTHENTICATED";
    public const string Forbidden = "ERR_FORBIDDEN";
    public const string TenantMismatch = "ERR_TENANT_MISMATCH";
    public const string NotFound = "ERR_NOT_FOUND";
    public const string Conflict = "ERR_CONFLICT";
    public const string QuotaExceeded = "ERR_QUOTA_EXCEEDED";
    public const string InvalidStateTransition = "ERR_INVALID_STATE_TRANSITION";
    public const string NoCapacity = "ERR_NO_CAPACITY";
    public const string PreconditionFailed = "ERR_PRECONDITION_FAILED";
    public const string Unavailable = "ERR_UNAVAILABLE";

    /// <summary>Host-side failures carried in a task's error; they never map to a request status.</summary>
    public const string HostOperationFailed = "ERR_HOST_OPERATION_FAILED";
    public const string DeadlineExceeded = "ERR_DEADLINE_EXCEEDED";
    public const string Internal = "ERR_INTERNAL";
}
