using System.CommandLine;
using System.CommandLine.Completions;
using CsCheck;
using WakeWord.Cli;
using WakeWord.Cli.Parsing;
using WakeWord.Tests.Support;

namespace WakeWord.Cli.Tests.Parsing;

/// <summary>
/// Walks every option and argument of every command of the real command tree (so a new option is covered without
/// anyone listing it) and feeds each a bad value of its kind: garbage, a huge number, an empty value, another
/// locale's number ("0,5"). Every one must give exit code 2 and exactly one line that names the option and says what
/// it takes, with no .NET type name and no "Unhandled exception".
/// </summary>
public sealed class CommandLinePropertyTests
{
    private static readonly IReadOnlyList<Target> Targets = Walk(CliApplication.CreateRoot(), []);

    [Fact]
    public void The_walk_finds_the_options_of_every_command()
    {
        // A guard on the walk itself: if it found nothing, every property below would pass vacuously.
        string[] names = [.. Targets.Select(t => $"{string.Join(' ', t.Path)} {t.Symbol.Name}")];
        Assert.Contains("detect --rate", names);
        Assert.Contains("detect input", names);
        Assert.Contains("tune --target-fa", names);
        Assert.Contains("listen --count", names);
        Assert.Contains("status --timeout", names);
        Assert.Contains("devices --backend", names);
        Assert.Contains("models --json", names);
        Assert.Contains("detect --help", names);
    }

    [Fact]
    public void Every_option_says_what_it_takes() =>
        Assert.All(Targets, t => Assert.True(AcceptedValues.Of(t.Symbol) is not null,
            $"{string.Join(' ', t.Path)} {t.Symbol.Name} has no accepted-values text: make it with ValueOptions or call .Accepting(...)"));

    [Fact]
    public void Every_command_line_the_test_builds_is_fine_without_the_bad_value()
    {
        foreach (Target target in Targets.Where(t => t.Symbol is Option { Required: false }))
        {
            string[] args = target.Baseline();
            IReadOnlyList<string> problems = ParseProblems.Describe(CliApplication.Parse(args), args);
            Assert.True(problems.Count == 0, $"wakeword {Show(args)}: {string.Join(" | ", problems)}");
        }
    }

    [Fact]
    public void A_bad_value_for_any_option_is_exit_code_2_and_one_line_naming_the_option() =>
        Gen.Int[0, Targets.Count - 1].SelectMany(i => BadValues(Targets[i]).Select(v => (Targets[i], v))).Sample(pair =>
        {
            (Target target, string[] bad) = pair;
            string[] args = [.. target.Baseline(), .. bad];
            IReadOnlyList<string> problems = ParseProblems.Describe(CliApplication.Parse(args), args);
            // Checked before running it: a value that slipped through would run the command (listen waits forever).
            Assert.True(problems.Count == 1, $"wakeword {Show(args)}: {problems.Count} problems: {string.Join(" | ", problems)}");

            using var error = new StringWriter();
            int exitCode = CliApplication.RunAsync(args, error).GetAwaiter().GetResult();

            string output = error.ToString();
            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            string expected = $"wakeword: {target.Symbol.Name} takes {AcceptedValues.Of(target.Symbol)}; got ";
            Assert.True(exitCode == 2, $"wakeword {Show(args)}: exit {exitCode}: {output}");
            Assert.True(lines.Length == 1, $"wakeword {Show(args)}: {lines.Length} lines: {output}");
            Assert.True(lines[0].StartsWith(expected, StringComparison.Ordinal) || lines[0].StartsWith($"wakeword: {target.Symbol.Name} is required", StringComparison.Ordinal),
                $"wakeword {Show(args)}: '{lines[0]}' does not start with '{expected}'");
            Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
            Assert.DoesNotContain("System.", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
        }, iter: 2000, time: FuzzBudget.Seconds, threads: 1, print: p => Show([.. p.Item1.Baseline(), .. p.Item2]));

    /// <summary>Bad command-line words for the target, by the kind of value it takes; an unknown kind fails the test.</summary>
    private static Gen<string[]> BadValues(Target target)
    {
        Type type = target.Symbol switch
        {
            Option o => o.ValueType,
            Argument a => a.ValueType,
            _ => typeof(void),
        };
        type = Nullable.GetUnderlyingType(type) ?? type;
        Gen<string> value;
        if (type == typeof(bool) || target.Symbol is Option { Arity.MaximumNumberOfValues: 0 })
        {
            // A switch: any value at all is wrong (true/false are the one spelling System.CommandLine takes).
            return Gen.OneOf(Garbage, Huge, Locale).Where(v => !bool.TryParse(v, out _)).Select(v => new[] { $"{target.Symbol.Name}={v}" });
        }

        if (type == typeof(int) || type == typeof(double) || type == typeof(float[]))
        {
            value = Gen.OneOf(Garbage, Huge, Empty, Locale);
        }
        else if (type == typeof(string) || type == typeof(string[]))
        {
            // Any text can be a path or a word; only an empty one is wrong, unless the choices are a closed set.
            value = Closed(target.Symbol) is { Count: > 0 } choices
                ? Gen.OneOf(Garbage, Huge, Empty).Where(v => !choices.Contains(v.Trim(), StringComparer.OrdinalIgnoreCase))
                : Empty;
        }
        else
        {
            throw new InvalidOperationException($"{target.Symbol.Name} takes {type}: teach {nameof(CommandLinePropertyTests)} its bad values");
        }

        return target.Symbol is Option option ? value.Select(v => new[] { option.Name, v }) : value.Select(v => new[] { v });
    }

    /// <summary>Words that are no number in any culture: letters, punctuation and non-ASCII, never a digit.</summary>
    private static readonly Gen<string> Garbage = Gen.OneOf(
        Gen.Const("abc"), Gen.Const("NaN"), Gen.Const("Infinity"), Gen.Const("-"), Gen.Const("0x10"), Gen.Const("1e"), Gen.Const("½"), Gen.Const("@q{"),
        Gen.String[Gen.Char.Where(c => !char.IsAsciiDigit(c) && !char.IsWhiteSpace(c) && c != '-'), 1, 12]);

    /// <summary>Beyond what any option takes, and beyond what int, long and double hold.</summary>
    private static readonly Gen<string> Huge = Gen.OneOf(
        Gen.Const("99999999999"), Gen.Const("1e9"), Gen.Const("1e999"), Gen.Const("-1e999"), Gen.Const("-99999999999"),
        Gen.Int[12, 40].Select(n => new string('9', n)));

    private static readonly Gen<string> Empty = Gen.OneOf(Gen.Const(""), Gen.Const(" "), Gen.Const("\t"));

    /// <summary>A decimal comma as half of Europe writes it, with a fraction part of at least 2 (so "0,1" is not two valid thresholds).</summary>
    private static readonly Gen<string> Locale = Gen.OneOf(
        Gen.Select(Gen.Int[0, 9], Gen.Int[2, 99]).Select((a, b) => $"{a},{b}"),
        Gen.Const("1.000,5"), Gen.Const("0,75"));

    private static IReadOnlyList<string> Closed(Symbol symbol) => symbol is Option option
        ? [.. option.GetCompletions(CompletionContext.Empty).Select(c => c.Label)]
        : [];

    private static string Show(string[] args) => string.Join(' ', args.Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? $"'{a}'" : a));

    private static List<Target> Walk(Command command, string[] path)
    {
        var targets = new List<Target>();
        foreach (Command sub in command.Subcommands)
        {
            string[] subPath = [.. path, sub.Name];
            IEnumerable<Option> options = sub.Options.Concat(AncestorOptions(command));
            foreach (Symbol symbol in options.Cast<Symbol>().Concat(sub.Arguments))
            {
                targets.Add(new Target(subPath, sub, symbol));
            }

            targets.AddRange(Walk(sub, subPath));
        }

        return targets;
    }

    /// <summary>Options of the root and other ancestors that apply to the commands below them (--help).</summary>
    private static IEnumerable<Option> AncestorOptions(Command command) => command.Options.Where(o => o.Recursive);

    /// <summary>An option or argument of a command, with the words that reach the command and satisfy its required parts.</summary>
    private sealed record Target(string[] Path, Command Command, Symbol Symbol)
    {
        public string[] Baseline()
        {
            var words = new List<string>(Path);
            foreach (Argument argument in Command.Arguments.Where(a => a != Symbol))
            {
                words.Add(Valid(argument, argument.ValueType));
            }

            foreach (Option option in Command.Options.Where(o => o.Required && o != Symbol))
            {
                words.Add(option.Name);
                words.Add(Valid(option, option.ValueType));
            }

            return [.. words];
        }

        private static string Valid(Symbol symbol, Type type) =>
            type == typeof(string) || type == typeof(string[])
                ? "in.wav"
                : throw new InvalidOperationException($"{symbol.Name} is required and takes {type}: give the test a valid value for it");
    }
}
