namespace OrleansCloud.Api.Tests.Cluster;

/// <summary>
/// A fault whose namespace Orleans does not carry (as <c>Polly.Timeout.TimeoutRejectedException</c> was not):
/// the silo cannot serialise it and sends a <c>CodecNotFoundException</c> in its place.
/// </summary>
public sealed class UncarriedFault : Exception
{
    public UncarriedFault()
    {
    }

    public UncarriedFault(string message)
        : base(message)
    {
    }

    public UncarriedFault(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
