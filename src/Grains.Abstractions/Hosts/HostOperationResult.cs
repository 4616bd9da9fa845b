namespace OrleansCloud.Hosts;

/// <summary>
/// What a host operation did. A failure says whether retrying may help; <see cref="Logs"/> carries
/// the commands run and their stderr for the task's logs.
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.HostOperationResult")]
public sealed record HostOperationResult(
    [property: Id(0)] string OperationId,
    [property: Id(1)] bool Succeeded,
    [property: Id(2)] bool Retryable,
    [property: Id(3)] string? ErrorCode,
    [property: Id(4)] string? Message,
    [property: Id(5)] IReadOnlyList<string> Logs,
    [property: Id(6)] IReadOnlyList<string> Addresses)
{
    public static HostOperationResult Success(string operationId, IReadOnlyList<string> logs, IReadOnlyList<string>? addresses = null) =>
        new(operationId, true, false, null, null, logs, addresses ?? []);

    public static HostOperationResult Failure(string operationId, string code, string message, bool retryable, IReadOnlyList<string> logs) =>
        new(operationId, false, retryable, code, message, logs, []);
}
