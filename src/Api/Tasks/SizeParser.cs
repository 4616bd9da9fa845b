using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrleansCloud.Api.Tasks;

/// <summary>
/// Sizes as api.md accepts them: a number of MB, or a string with a unit ("512MB", "2GB", "1.5 GiB").
/// Answers megabytes, rounded up; null when the value is not a size.
/// </summary>
public static partial class SizeParser
{
    public static long? ToMegabytes(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                return value.TryGetDecimal(out var number) ? FromMb(number) : null;
            case JsonValueKind.String:
                return ToMegabytes(value.GetString()!);
            default:
                return null;
        }
    }

    public static long? ToMegabytes(string text)
    {
        var match = SizePattern().Match(text);
        if (!match.Success || !decimal.TryParse(match.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        decimal? factor = match.Groups["unit"].Value.ToUpperInvariant() switch
        {
            "" or "M" or "MB" or "MIB" => 1m,
            "G" or "GB" or "GIB" => 1024m,
            "T" or "TB" or "TIB" => 1024m * 1024m,
            _ => null,
        };
        // Compared before multiplying: decimal arithmetic throws on overflow ("100000000000000000000000TB").
        return factor is null || amount > MaxMegabytes / factor.Value ? null : FromMb(amount * factor.Value);
    }

    /// <summary>The largest size read (2^40 MB, an exbibyte): far above any VM, far below an overflow anywhere downstream.</summary>
    public const long MaxMegabytes = 1L << 40;

    private static long? FromMb(decimal mb) => mb is < 0 or > MaxMegabytes ? null : (long)Math.Ceiling(mb);

    [GeneratedRegex(@"^\s*(?<n>\d+(\.\d+)?)\s*(?<unit>[A-Za-z]*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
