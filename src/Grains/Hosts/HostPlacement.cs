using OrleansCloud.Hosts;

namespace OrleansCloud.Grains.Hosts;

/// <summary>
/// Elects and claims until a host accepts: each round claims the elected candidates in order, and a
/// round whose candidates all refused (the view was a few claims behind them) is followed by another
/// that excludes them, up to a bound. No capacity only when an election finds no host or the rounds
/// run out.
/// </summary>
public static class HostPlacement
{
    public static async Task<PlacementOutcome> ElectAndClaim(
        IPlacementGrain placement, PlacementRequest request, int maxRounds, Func<string, Task<bool>> tryClaim)
    {
        var refused = new List<string>();
        for (var round = 1; round <= maxRounds; round++)
        {
            var excluded = refused.Count == 0 ? request.ExcludedHosts : [.. request.ExcludedHosts ?? [], .. refused];
            var candidates = await placement.Elect(request with { ExcludedHosts = excluded });
            if (candidates.Count == 0)
            {
                return new PlacementOutcome(null, round, refused.Count);
            }

            foreach (var candidate in candidates)
            {
                if (await tryClaim(candidate))
                {
                    return new PlacementOutcome(candidate, round, refused.Count);
                }

                refused.Add(candidate);
            }
        }

        return new PlacementOutcome(null, maxRounds, refused.Count);
    }
}
