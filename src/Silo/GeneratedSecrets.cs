namespace OrleansCloud.Silo;

/// <summary>What the all-in-one generated at start; null when the operator configured it.</summary>
public sealed record GeneratedSecrets(string? AdminPassword);
