using System.Globalization;
using OrleansCloud.Tenants;

namespace OrleansCloud.Grains.Tenants;

/// <summary>
/// Newest-first keyset paging over a tenant's index chunks. A page token names where the next page
/// starts, "{chunk}-{position}": the entries of that chunk below the position, then the older chunks.
/// Entries are never removed, so a token keeps its place however many entries arrive meanwhile.
/// </summary>
public static class TenantIndexPaging
{
    public const int MaxPageSize = 100;

    public static async Task<Page<string>> Page(
        long tail, string? pageToken, int pageSize, Func<IndexEntry, bool> listed, Func<long, Task<IReadOnlyList<IndexEntry>>> readChunk)
    {
        var size = Math.Clamp(pageSize, 1, MaxPageSize);
        var (chunk, below) = Parse(pageToken, tail);
        var items = new List<string>(size);
        while (chunk >= 0)
        {
            var entries = await readChunk(chunk);
            var position = Math.Min(below ?? entries.Count, entries.Count);
            while (position > 0 && items.Count < size)
            {
                position--;
                if (listed(entries[position]))
                {
                    items.Add(entries[position].Id);
                }
            }

            if (items.Count == size)
            {
                return position > 0 ? new Page<string>(items, Token(chunk, position))
                    : chunk > 0 ? new Page<string>(items, Token(chunk - 1, null))
                    : new Page<string>(items, null);
            }

            chunk--;
            below = null;
        }

        return new Page<string>(items, null);
    }

    public static string Token(long chunk, int? position) =>
        position is { } p
            ? $"{chunk.ToString(CultureInfo.InvariantCulture)}-{p.ToString(CultureInfo.InvariantCulture)}"
            : chunk.ToString(CultureInfo.InvariantCulture);

    /// <summary>A token this index did not give out starts from the newest entry, as the first page does.</summary>
    private static (long Chunk, int? Below) Parse(string? token, long tail)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (tail, null);
        }

        var parts = token.Split('-');
        if (parts.Length is < 1 or > 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var chunk)
            || chunk > tail)
        {
            return (tail, null);
        }

        if (parts.Length == 1)
        {
            return (chunk, null);
        }

        return int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var below)
            ? (chunk, below)
            : (tail, null);
    }
}
