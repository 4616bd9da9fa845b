using System.Net;
using Orleans.Runtime;
using Orleans.Streams;
using OrleansCloud.Silo.Streams;

namespace OrleansCloud.Api.Tests.Streams;

public sealed class StreamReaderQueueBalancerTests
{
    private static readonly IReadOnlyList<QueueId> Queues = [.. Enumerable.Range(0, 8).Select(i => QueueId.GetQueueId("events", (uint)i, (uint)(i * 7919)))];

    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(9)]
    public void EveryQueue_IsReadByExactlyOneReader_AndTheSharesDifferByAtMostOne(int readerCount)
    {
        var readers = Enumerable.Range(0, readerCount).Select(i => Silo(11111 + i)).ToList();

        // Each reader computes its own share, listing the readers in its own (shuffled) order.
        var shares = readers.Select((self, i) => StreamReaderQueueBalancer.ShareOf(self, readers.OrderBy(r => (r.GetHashCode() * 31) ^ i).ToList(), Queues)).ToList();

        Assert.Equal(Queues.Order(), shares.SelectMany(s => s).Order());
        Assert.InRange(shares.Max(s => s.Count) - shares.Min(s => s.Count), 0, 1);
    }

    [Fact]
    public void ASiloThatKnowsNoOtherReader_ReadsEveryQueue()
    {
        Assert.Equal(Queues, StreamReaderQueueBalancer.ShareOf(Silo(11111), [], Queues));
    }
}
