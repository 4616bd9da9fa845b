using System.Diagnostics.CodeAnalysis;

namespace OrleansCloud.Common;

/// <summary>The outcome of an operation: a value, or an expected <see cref="Error"/>.</summary>
[GenerateSerializer, Immutable, Alias("oc.Result`1")]
public sealed record Result<T>([property: Id(0)] T? Value, [property: Id(1)] Error? Error)
{
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static Result<T> Ok(T value) => new(value, null);

    public static Result<T> Fail(Error error) => new(default, error);

    public static implicit operator Result<T>(T value) => Ok(value);

    public static implicit operator Result<T>(Error error) => Fail(error);
}
