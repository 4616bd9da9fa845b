namespace OrleansCloud.Common;

/// <summary>The outcome of an operation without a value: success or an expected <see cref="Error"/>.</summary>
[GenerateSerializer, Immutable, Alias("oc.Result")]
public sealed record Result([property: Id(0)] Error? Error)
{
    public static readonly Result Ok = new((Error?)null);

    public bool IsSuccess => Error is null;

    public static Result Fail(Error error) => new(error);

    public static Result Fail(string code, string message) => new(new Error(code, message));

    public static implicit operator Result(Error error) => new(error);
}
