namespace OrleansCloud.Common;

/// <summary>An expected failure: a code from <see cref="ErrorCodes"/>, a message and, for validation, the fields at fault.</summary>
[GenerateSerializer, Immutable, Alias("oc.Error")]
public sealed record Error(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message,
    [property: Id(2)] IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public static Error NotFound(string what) => new(ErrorCodes.NotFound, $"{what} was not found.");

    public static Error Conflict(string message) => new(ErrorCodes.Conflict, message);

    public static Error Validation(string field, string message) =>
        new(ErrorCodes.Validation, "The request is not valid.", new Dictionary<string, string[]> { [field] = [message] });

    public static Error Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new(ErrorCodes.Validation, "The request is not valid.", fields);
}
