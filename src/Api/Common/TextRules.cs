using System.Globalization;

namespace OrleansCloud.Api;

/// <summary>
/// The allow-list for free text a person reads back (a tenant's display name, a job's or a step's
/// description): letters, marks, digits, punctuation, symbols and the space separators (Unicode
/// categories L*, M*, N*, P*, S*, Zs), with paired surrogates. Everything else is refused: control
/// characters (NUL, newline, tab, BEL, ...), format characters (the bidirectional overrides and
/// isolates U+202A-202E and U+2066-2069, zero-width characters, the byte order mark), line and
/// paragraph separators, private-use characters, lone surrogates and unassigned code points. Text must
/// not be blank and its length (in UTF-16 code units) is bounded by the caller.
/// </summary>
public static class TextRules
{
    public const int MaxDisplayNameLength = 200;

    public static bool IsDisplayText(string? text, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > maxLength)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]) || !Allowed(CharUnicodeInfo.GetUnicodeCategory(text, i)))
                {
                    return false;
                }

                i++;
                continue;
            }

            if (!Allowed(CharUnicodeInfo.GetUnicodeCategory(text[i])))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The message a refused text field gets.</summary>
    public static string Rule(int maxLength) =>
        $"is required: 1 to {maxLength} characters of letters, digits, punctuation, symbols and spaces (no control or bidirectional formatting characters)";

    private static bool Allowed(UnicodeCategory category) => category switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned => false,
        _ => true,
    };
}
