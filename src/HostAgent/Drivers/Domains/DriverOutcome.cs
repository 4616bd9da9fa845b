namespace OrleansCloud.HostAgent.Drivers.Domains;

/// <summary>What a domain or network call came to: expected refusals are outcomes, not exceptions.</summary>
public sealed record DriverOutcome(DriverOutcomeKind Kind, string? Message, IReadOnlyList<string> Logs, string? Field = null)
{
    public bool Succeeded => Kind == DriverOutcomeKind.Done;

    public static DriverOutcome Done(params IReadOnlyList<string> logs) => new(DriverOutcomeKind.Done, null, logs);

    public static DriverOutcome NotFound(string message) => new(DriverOutcomeKind.NotFound, message, []);

    public static DriverOutcome Conflict(string message) => new(DriverOutcomeKind.Conflict, message, []);

    public static DriverOutcome Invalid(string field, string message, IReadOnlyList<string> logs) => new(DriverOutcomeKind.Invalid, message, logs, field);

    public static DriverOutcome Failed(string message, IReadOnlyList<string> logs) => new(DriverOutcomeKind.Failed, message, logs);
}
