using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace WakeWord.Cli.Parsing;

/// <summary>
/// Makes options whose parser checks the value itself (invariant culture, range, non-empty) and refuses a bad one with
/// the one line of <see cref="AcceptedValues.Refusal"/>. Checking in the parser, not in a validator, matters: a
/// validator runs after a failed conversion too, and reading the value there threw (exit 134 with a stack trace).
/// </summary>
public static class ValueOptions
{
    /// <summary>A whole number in [min, max]; <paramref name="unit"/> reads after "a whole number" ("of Hz").</summary>
    public static Option<int> Whole(string name, string unit, int min, int max, int defaultValue, params string[] aliases) =>
        new Option<int>(name, aliases)
        {
            CustomParser = r => (int)(ParseWhole(r, min, max) ?? 0),
            DefaultValueFactory = _ => defaultValue,
        }.Accepting(WholeText(unit, min, max));

    /// <summary>An optional whole number in [min, max]: absent reads as null.</summary>
    public static Option<int?> OptionalWhole(string name, string unit, int min, int max, params string[] aliases) =>
        new Option<int?>(name, aliases)
        {
            CustomParser = r => (int?)ParseWhole(r, min, max),
        }.Accepting(WholeText(unit, min, max));

    /// <summary>A finite number above (or, with <paramref name="minIncluded"/>, at least) min and at most max.</summary>
    public static Option<double> Real(string name, string unit, double min, bool minIncluded, double max, double defaultValue) =>
        new Option<double>(name)
        {
            CustomParser = r => ParseReal(r, min, minIncluded, max) ?? 0,
            DefaultValueFactory = _ => defaultValue,
        }.Accepting(RealText(unit, min, minIncluded, max));

    /// <summary>An optional finite number in range: absent reads as null.</summary>
    public static Option<double?> OptionalReal(string name, string unit, double min, bool minIncluded, double max) =>
        new Option<double?>(name)
        {
            CustomParser = r => ParseReal(r, min, minIncluded, max),
        }.Accepting(RealText(unit, min, minIncluded, max));

    /// <summary>A text that must not be empty (a path, a word, a command); <paramref name="accepts"/> says what it is.</summary>
    public static Option<string?> Text(string name, string accepts, params string[] aliases) =>
        new Option<string?>(name, aliases)
        {
            CustomParser = r => ParseTexts(r) is [string one] ? one : null,
        }.Accepting(accepts);

    /// <summary>A repeatable text option; each value must not be empty.</summary>
    public static Option<string[]> Texts(string name, string accepts, params string[] aliases) =>
        new Option<string[]>(name, aliases)
        {
            CustomParser = r => ParseTexts(r) ?? [],
        }.Accepting(accepts);

    /// <summary>One of <paramref name="choices"/> (any letter case; the value read is the choice as spelled here).</summary>
    public static Option<string> Choice(string name, IReadOnlyList<string> choices, string defaultValue, params string[] aliases)
    {
        Option<string> option = new Option<string>(name, aliases)
        {
            CustomParser = r =>
            {
                string? text = r.Tokens.Count > 0 ? r.Tokens[0].Value : null;
                string? match = choices.FirstOrDefault(c => string.Equals(c, text?.Trim(), StringComparison.OrdinalIgnoreCase));
                if (match is null)
                {
                    r.AddError(AcceptedValues.Refusal(SymbolOf(r), text));
                }

                return match ?? defaultValue;
            },
            DefaultValueFactory = _ => defaultValue,
        }.Accepting("one of " + string.Join(", ", choices));
        // Shell completion offers the choices; the property test reads them to know the set is closed.
        option.CompletionSources.Add([.. choices]);
        return option;
    }

    /// <summary>A switch (true when given); the text says it takes no value, for `--json=yes` and `--json yes`.</summary>
    public static Option<bool> Switch(string name) => new Option<bool>(name).Accepting(SwitchText);

    public const string SwitchText = "no value (it is a switch: give it alone)";

    /// <summary>The option or argument a value belongs to (the option, not its inner argument, for options).</summary>
    public static Symbol SymbolOf(ArgumentResult result) => result.Parent is OptionResult option ? option.Option : result.Argument;

    /// <summary>For a number written with a decimal comma ("0,5"), the hint to write "0.5"; else null.</summary>
    public static string? DecimalCommaHint(string? text)
    {
        if (text is null || !text.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        string dotted = text.Replace(',', '.');
        return double.TryParse(dotted, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? $"the decimal point is '.': write {dotted.Trim()}"
            : null;
    }

    private static string WholeText(string unit, int min, int max) =>
        string.Create(CultureInfo.InvariantCulture, $"a whole number {unit} from {min} to {max}").Replace("  ", " ", StringComparison.Ordinal);

    private static string RealText(string unit, double min, bool minIncluded, double max) =>
        string.Create(CultureInfo.InvariantCulture, $"a number {unit} {(minIncluded ? "from" : "above")} {min} {(minIncluded ? "to" : "up to")} {max}, with '.' as the decimal point")
            .Replace("  ", " ", StringComparison.Ordinal);

    private static long? ParseWhole(ArgumentResult result, long min, long max)
    {
        string? text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        if (text is not null && long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max)
        {
            return value;
        }

        result.AddError(AcceptedValues.Refusal(SymbolOf(result), text));
        return null;
    }

    private static double? ParseReal(ArgumentResult result, double min, bool minIncluded, double max)
    {
        string? text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        if (text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            && (minIncluded ? value >= min : value > min) && value <= max)
        {
            return value;
        }

        result.AddError(AcceptedValues.Refusal(SymbolOf(result), text, DecimalCommaHint(text)));
        return null;
    }

    private static string[]? ParseTexts(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            result.AddError(AcceptedValues.Refusal(SymbolOf(result), null));
            return null;
        }

        foreach (Token token in result.Tokens)
        {
            if (string.IsNullOrWhiteSpace(token.Value))
            {
                result.AddError(AcceptedValues.Refusal(SymbolOf(result), token.Value));
                return null;
            }
        }

        return [.. result.Tokens.Select(t => t.Value)];
    }
}
