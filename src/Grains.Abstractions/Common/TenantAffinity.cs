using Orleans.Runtime;

namespace OrleansCloud.Common;

/// <summary>
/// Which tenant a call works for, carried in Orleans' request context so that the silo placing a new
/// activation can put a tenant's grains together (see the control plane's tenant placement). It only
/// chooses where an activation lives, never what a grain may do: a wrong or missing value costs a silo
/// hop, nothing else.
/// </summary>
public static class TenantAffinity
{
    /// <summary>The request-context key.</summary>
    public const string Key = "oc.tenant";

    /// <summary>Marks the calls made in the current async flow, until disposed, as working for <paramref name="tenantId"/>.</summary>
    public static Scope For(string tenantId)
    {
        var previous = RequestContext.Get(Key);
        RequestContext.Set(Key, tenantId);
        return new Scope(previous);
    }

    /// <summary>The tenant a request context names, if any.</summary>
    public static string? Of(IReadOnlyDictionary<string, object>? context) =>
        context is not null && context.TryGetValue(Key, out var value) && value is string { Length: > 0 } tenant ? tenant : null;

    /// <summary>The tenant a tenant-keyed grain's key names: the key itself, or what comes before its first '/'.</summary>
    public static string OfKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? key : key[..slash];
    }

    public readonly struct Scope(object? previous) : IDisposable
    {
        public void Dispose()
        {
            if (previous is null)
            {
                RequestContext.Remove(Key);
            }
            else
            {
                RequestContext.Set(Key, previous);
            }
        }
    }
}
