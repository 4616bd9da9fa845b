namespace OrleansCloud.Grains.Hosts;

/// <summary>Where a placement landed (null: nowhere), after how many elections and refused claims.</summary>
public sealed record PlacementOutcome(string? Host, int Elections, int Refusals);
