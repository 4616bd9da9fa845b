using Orleans.Placement;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using OrleansCloud.Common;

namespace OrleansCloud.Placement;

/// <summary>
/// Places a grain keyed by its tenant (the key, or the key's part before '/') on that tenant's silo.
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.TenantKeyedPlacement")]
public sealed class TenantKeyedPlacementStrategy : PlacementStrategy
{
    public static readonly TenantKeyedPlacementStrategy Instance = new();
}

/// <summary>
/// Places a grain on the silo of the tenant its activating call works for (<see cref="TenantAffinity"/>),
/// or beside its caller when the call names none (a timer or a sweep waking it).
/// </summary>
[GenerateSerializer, Immutable, Alias("oc.TenantCallPlacement")]
public sealed class TenantCallPlacementStrategy : PlacementStrategy
{
    public static readonly TenantCallPlacementStrategy Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TenantKeyedPlacementAttribute() : PlacementAttribute(TenantKeyedPlacementStrategy.Instance);

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TenantCallPlacementAttribute() : PlacementAttribute(TenantCallPlacementStrategy.Instance);

/// <summary>
/// Keeps a tenant's grains on one control-plane silo. A saga calls its tenant (holds, settlement), its
/// index, its VM and itself many times; spread at random over two silos, about half of those calls
/// crossed between them, each serialised and sent over TLS on both sides, and two silos did less than one.
/// A tenant's silo is chosen by rendezvous hashing over the silos that can host the grain: every silo
/// computes the same answer without asking anyone, and when a silo joins or leaves only the tenants whose
/// choice was that silo move (at their next activation; live activations stay where they are, and
/// Orleans' directory still guarantees one activation per grain). Tenants spread over the silos; many
/// tenants spread evenly.
/// </summary>
public sealed class TenantPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        var tenant = strategy is TenantKeyedPlacementStrategy
            ? TenantAffinity.OfKey(target.GrainIdentity.Key.ToString()!)
            : TenantAffinity.Of(target.RequestContextData);
        return Task.FromResult(tenant is null ? Beside(context, silos) : SiloOf(tenant, silos));
    }

    /// <summary>The silo, among <paramref name="silos"/>, that hosts <paramref name="tenantId"/>'s grains.</summary>
    public static SiloAddress SiloOf(string tenantId, IReadOnlyList<SiloAddress> silos)
    {
        if (silos.Count == 0)
        {
            throw new OrleansException("No silo can host the grain.");
        }

        var best = silos[0];
        var bestScore = Score(tenantId, best);
        for (var i = 1; i < silos.Count; i++)
        {
            var score = Score(tenantId, silos[i]);
            if (score > bestScore || (score == bestScore && silos[i].CompareTo(best) < 0))
            {
                best = silos[i];
                bestScore = score;
            }
        }

        return best;
    }

    private static SiloAddress Beside(IPlacementContext context, SiloAddress[] silos)
    {
        if (Array.IndexOf(silos, context.LocalSilo) >= 0)
        {
            return context.LocalSilo;
        }

        return silos.Length > 0 ? silos[Random.Shared.Next(silos.Length)] : throw new OrleansException("No silo can host the grain.");
    }

    // FNV-1a over the tenant and the silo's address and generation, then a 64-bit finaliser so that
    // similar inputs do not give similar scores. string.GetHashCode differs from process to process.
    private static ulong Score(string tenantId, SiloAddress silo)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in tenantId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ '|') * 1099511628211UL;
        foreach (var c in silo.ToParsableString())
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}

public static class TenantPlacementHosting
{
    /// <summary>
    /// Every silo of the cluster needs the director, since the silo that first calls a grain places it:
    /// control-plane silos and host agents alike. Registering it twice (the all-in-one) is harmless.
    /// </summary>
    public static ISiloBuilder AddTenantPlacement(this ISiloBuilder builder)
    {
        builder.AddPlacementDirector<TenantKeyedPlacementStrategy, TenantPlacementDirector>();
        builder.AddPlacementDirector<TenantCallPlacementStrategy, TenantPlacementDirector>();
        return builder;
    }
}
