namespace OrleansCloud.Cluster.Tests;

/// <summary>Polls a condition over a cluster that may be healing: transient failures of the check itself count as "not yet".</summary>
public static class Wait
{
    public static async Task Until(Func<Task<bool>> condition, string what, TimeSpan limit, params ChildProcess[] watched)
    {
        var deadline = DateTime.UtcNow + limit;
        string? last = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException or NullReferenceException)
            {
                last = ex.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                var tails = string.Join("\n\n", watched.Select(p => $"[{p.Name}]\n{p.Diagnosis(20)}"));
                throw new TimeoutException($"timed out waiting for {what}{(last is null ? "" : ": " + last)}{(tails.Length > 0 ? "\n" + tails : "")}");
            }

            await Task.Delay(100);
        }
    }
}
