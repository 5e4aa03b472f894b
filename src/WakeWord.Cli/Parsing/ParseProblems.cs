using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace WakeWord.Cli.Parsing;

/// <summary>
/// Turns what System.CommandLine found wrong with a command line into one line per problem, each naming the option
/// and what it takes: its own messages name .NET types ("expected type 'System.Nullable`1[System.Int32]'") or not the
/// option at all ("Unrecognized command or argument 'yes'" for `--json=yes`).
/// </summary>
public static class ParseProblems
{
    /// <summary>The lines to print (empty: the command line is fine).</summary>
    /// <param name="parse">The parse of <paramref name="args"/>.</param>
    /// <param name="args">The words as given: the parse no longer shows whether a value was joined to its option by '='.</param>
    public static IReadOnlyList<string> Describe(ParseResult parse, IReadOnlyList<string> args)
    {
        if (SwitchWithJoinedValue(parse, args) is { } refusal)
        {
            return [refusal];
        }

        var lines = new List<string>();
        bool unmatched = parse.UnmatchedTokens.Count > 0;
        foreach (ParseError error in parse.Errors)
        {
            switch (error.SymbolResult)
            {
                case OptionResult { IdentifierToken: null } option:
                    lines.Add(Missing(option.Option));
                    break;
                case ArgumentResult { Parent: OptionResult { IdentifierToken: null } option }:
                    lines.Add(Missing(option.Option));
                    break;
                case OptionResult option:
                    lines.Add(ForValue(option.Option, option.Tokens, error.Message));
                    break;
                case ArgumentResult { Parent: OptionResult option }:
                    lines.Add(ForValue(option.Option, option.Tokens, error.Message));
                    break;
                case ArgumentResult { Tokens.Count: 0 } argument:
                    lines.Add(Missing(argument.Argument));
                    break;
                case ArgumentResult argument:
                    lines.Add(ForValue(argument.Argument, argument.Tokens, error.Message));
                    break;
                case CommandResult when unmatched:
                    // Said below, token by token, with the option the token was meant for.
                    break;
                case CommandResult command when command.Command.Subcommands.Count > 0 && command.Command.Action is null:
                    lines.Add($"{error.Message} Give one of the commands: {string.Join(", ", command.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))} (wakeword --help).");
                    break;
                default:
                    lines.Add(error.Message);
                    break;
            }
        }

        if (unmatched)
        {
            // A required-command complaint next to "unknown command 'frob'" says the same thing twice, less clearly.
            lines.RemoveAll(l => parse.Errors.Any(e => e.SymbolResult is CommandResult c && c.Command.Action is null && l.StartsWith(e.Message, StringComparison.Ordinal)));
            // The first stray word only: `--no-such 1` is one mistake, not two.
            lines.Add(ForUnmatched(parse, parse.UnmatchedTokens[0]));
        }
        else if (lines.Count == 0 && parse.Action is ParseErrorAction)
        {
            lines.Add("the command line cannot be parsed (wakeword --help)");
        }

        return lines;
    }

    /// <summary>
    /// `--json=yes`: the value is the switch's, though System.CommandLine splits it off as a word of its own, which a
    /// command taking several inputs (`detect a.wav b.wav`) would read as one more file.
    /// </summary>
    private static string? SwitchWithJoinedValue(ParseResult parse, IReadOnlyList<string> args)
    {
        foreach (string arg in args)
        {
            int at = arg.StartsWith('-') ? arg.IndexOfAny(['=', ':']) : -1;
            if (at > 0 && FindOption(parse, arg[..at]) is { } option && IsSwitch(option) && !bool.TryParse(arg[(at + 1)..], out _))
            {
                return AcceptedValues.Refusal(option, arg[(at + 1)..]);
            }
        }

        return null;
    }

    /// <summary>Ours are bool options; the built-in --help and --version take no value at all.</summary>
    private static bool IsSwitch(Option option) => option.ValueType == typeof(bool) || option.Arity.MaximumNumberOfValues == 0;

    private static string Missing(Symbol symbol) =>
        $"{symbol.Name} is required: give {AcceptedValues.Of(symbol) ?? "a value"} (see --help)";

    private static string ForValue(Symbol symbol, IReadOnlyList<Token> tokens, string message) =>
        AcceptedValues.IsRefusal(symbol, message) || message.StartsWith(UnrecognizedStart, StringComparison.Ordinal)
            ? message
            : AcceptedValues.Refusal(symbol, tokens.Count == 0 ? null : string.Join(' ', tokens.Select(t => t.Value)));

    private static string ForUnmatched(ParseResult parse, string token)
    {
        // `--json=yes` and `--json yes` leave "yes" unmatched right after the switch: name the switch.
        int at = IndexOfUnmatched(parse, token);
        if (at > 0 && parse.Tokens[at - 1] is { Type: TokenType.Option } previous && FindOption(parse, previous.Value) is Option option)
        {
            return AcceptedValues.Refusal(option, token);
        }

        return Unrecognized(token, parse.CommandResult.Command is RootCommand ? "wakeword" : "wakeword " + parse.CommandResult.Command.Name);
    }

    /// <summary>A word that is no option or command of <paramref name="command"/> ("wakeword detect").</summary>
    public static string Unrecognized(string token, string command) => $"{UnrecognizedStart}{token}' (see {command} --help).";

    private const string UnrecognizedStart = "Unrecognized command or argument '";

    private static int IndexOfUnmatched(ParseResult parse, string token)
    {
        for (int i = parse.Tokens.Count - 1; i >= 0; i--)
        {
            if (parse.Tokens[i].Type == TokenType.Argument && parse.Tokens[i].Value == token)
            {
                return i;
            }
        }

        return -1;
    }

    private static Option? FindOption(ParseResult parse, string identifier)
    {
        for (SymbolResult? result = parse.CommandResult; result is not null; result = result.Parent)
        {
            if (result is CommandResult { Command: var command })
            {
                Option? match = command.Options.FirstOrDefault(o => o.Name == identifier || o.Aliases.Contains(identifier));
                if (match is not null)
                {
                    return match;
                }
            }
        }

        return null;
    }
}
