namespace OrleansCloud.Grains.Tests;

/// <summary>Polls a condition until it holds or a generous limit passes; the limit only bounds a broken run.</summary>
public static class Eventually
{
    public static async Task True(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    public static async Task<T> Value<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}; last value: {value}");
            }

            await Task.Delay(20);
        }
    }
}
