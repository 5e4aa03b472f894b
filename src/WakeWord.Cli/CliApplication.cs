using System.CommandLine;
using System.CommandLine.Invocation;
using WakeWord.Cli.Commands;
using WakeWord.Cli.Parsing;

namespace WakeWord.Cli;

/// <summary>The `wakeword` command tree and how a command line is run: usage errors first, one line each, exit code 2.</summary>
public static class CliApplication
{
    /// <summary>The commands of `wakeword`, one file each under Commands/. To add one, add a line here.</summary>
    public static RootCommand CreateRoot()
    {
        Command[] commands =
        [
            DetectCommand.Create(),
            ModelsCommand.Create(),
            ListenCommand.Create(),
            StatusCommand.Create(),
            TuneCommand.Create(),
            DevicesCommand.Create(),
        ];
        var root = new RootCommand(
            "wakeword: detect a wake word in audio with the streaming models of this repository. " + ExitCodes.HelpText);
        foreach (Command command in commands)
        {
            root.Add(command);
        }

        foreach (Option option in root.Options)
        {
            // The built-in --help and --version are switches too.
            option.Accepting(ValueOptions.SwitchText);
        }

        return root;
    }

    /// <summary>
    /// Parses a command line as `wakeword` does. Response files are off: no option here needs one, and with them a value
    /// that starts with '@' (`--target-fa @q`) became "Response file not found" beside the option's own message.
    /// </summary>
    public static ParseResult Parse(string[] args) =>
        CreateRoot().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        ParseResult parse = Parse(args);
        // Errors win over --help: `wakeword frob --help` would otherwise print the root help and exit 0, as if `frob`
        // existed (with --help, System.CommandLine keeps the stray words only in UnmatchedTokens).
        IReadOnlyList<string> problems = ParseProblems.Describe(parse, args);
        if (problems.Count > 0)
        {
            // System.CommandLine exits 1 on a parse error; scripts here rely on 2 for usage errors.
            foreach (string problem in problems)
            {
                CommandGuard.Report(error, problem, ExitCodes.Usage);
            }

            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
    }
}
