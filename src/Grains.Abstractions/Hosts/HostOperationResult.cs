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
    [property: Id(6)] IReadOnlyList<string> Addresses,
    [property: Id(7)] IReadOnlyDictionary<string, string>? Facts = null)
{
    /// <summary>A fact the operation reported (e.g. "disk" = "shared" after a migration's receive), or null.</summary>
    public string? Fact(string name) => Facts?.GetValueOrDefault(name);

    public HostOperationResult WithFact(string name, string value) =>
        this with { Facts = new Dictionary<string, string>(Facts ?? new Dictionary<string, string>()) { [name] = value } };

    public static HostOperationResult Success(string operationId, IReadOnlyList<string> logs, IReadOnlyList<string>? addresses = null) =>
        new(operationId, true, false, null, null, logs, addresses ?? []);

    public static HostOperationResult Failure(string operationId, string code, string message, bool retryable, IReadOnlyList<string> logs) =>
        new(operationId, false, retryable, code, message, logs, []);
}
