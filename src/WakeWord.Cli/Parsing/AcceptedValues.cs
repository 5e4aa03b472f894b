using System.CommandLine;
using System.Runtime.CompilerServices;

namespace WakeWord.Cli.Parsing;

/// <summary>
/// What each option and argument takes, in words ("a whole number of Hz from 1000 to 384000"), said once where the
/// option is made: every refusal of a value is the one line "&lt;option&gt; takes &lt;what&gt;; got &lt;value&gt;", and the
/// property test checks that every option of the command tree has such a text.
/// </summary>
public static class AcceptedValues
{
    private static readonly ConditionalWeakTable<Symbol, string> Texts = [];

    /// <summary>Records what <paramref name="symbol"/> takes; returns it, for use in initializers.</summary>
    public static T Accepting<T>(this T symbol, string accepts)
        where T : Symbol
    {
        Texts.AddOrUpdate(symbol, accepts);
        return symbol;
    }

    /// <summary>What the symbol takes, or null when nobody said (the property test fails on that).</summary>
    public static string? Of(Symbol symbol) => Texts.TryGetValue(symbol, out string? text) ? text : null;

    /// <summary>The one-line refusal: the option, what it takes, what it got, and a hint when there is one.</summary>
    /// <param name="got">The value given; null when none was.</param>
    public static string Refusal(Symbol symbol, string? got, string? hint = null)
    {
        string gotText = got switch
        {
            null => "no value",
            _ when string.IsNullOrWhiteSpace(got) => "an empty value",
            _ => $"'{got}'",
        };
        string accepts = Of(symbol) ?? "a valid value (see --help)";
        return $"{symbol.Name} takes {accepts}; got {gotText}" + (hint is null ? "" : $" ({hint})");
    }

    /// <summary>True when <paramref name="message"/> is already a refusal made by <see cref="Refusal"/> for the symbol.</summary>
    public static bool IsRefusal(Symbol symbol, string message) => message.StartsWith(symbol.Name + " takes ", StringComparison.Ordinal);
}
