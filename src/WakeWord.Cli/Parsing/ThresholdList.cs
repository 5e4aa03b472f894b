using System.CommandLine.Parsing;
using System.Globalization;

namespace WakeWord.Cli.Parsing;

/// <summary>
/// detect's --thresholds: comma-separated numbers in [0, 1]. An empty entry ("0.3,,0.5") is refused rather than
/// skipped, and a list that reads like a decimal comma ("0,5": 0 and 5) says so.
/// </summary>
public static class ThresholdList
{
    public const string Accepts = "comma-separated numbers from 0 to 1 with '.' as the decimal point, e.g. 0.3,0.5,0.7";

    public static float[]? Parse(ArgumentResult result)
    {
        var values = new List<float>();
        if (result.Tokens.Count == 0)
        {
            result.AddError(AcceptedValues.Refusal(ValueOptions.SymbolOf(result), null));
            return null;
        }

        foreach (Token token in result.Tokens)
        {
            string[] parts = token.Value.Split(',', StringSplitOptions.TrimEntries);
            for (int i = 0; i < parts.Length; i++)
            {
                if (parts[i].Length == 0)
                {
                    string? hint = token.Value.Trim().Length == 0 ? null : "an empty entry in the list";
                    result.AddError(AcceptedValues.Refusal(ValueOptions.SymbolOf(result), token.Value, hint));
                    return null;
                }

                if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !(value >= 0f && value <= 1f))
                {
                    result.AddError(AcceptedValues.Refusal(ValueOptions.SymbolOf(result), token.Value, Hint(parts, i)));
                    return null;
                }

                values.Add(value);
            }
        }

        return [.. values];
    }

    /// <summary>"0,5" is 0 and 5 to this parser but 0.5 to half of Europe: when the bad entry follows a whole number, say so.</summary>
    private static string? Hint(string[] parts, int bad)
    {
        if (bad > 0 && parts[bad].All(char.IsAsciiDigit) && parts[bad - 1].All(char.IsAsciiDigit))
        {
            return $"the decimal point is '.': write {parts[bad - 1]}.{parts[bad]} for one threshold, and separate thresholds with ','";
        }

        return $"'{parts[bad]}' is not a number from 0 to 1";
    }
}
