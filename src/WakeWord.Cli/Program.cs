using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using WakeWord.Cli;
using WakeWord.Cli.Commands;

// The commands of `wakeword`, one file each under Commands/. To add one, add a line here.
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

ParseResult parse = root.Parse(args);
// Errors win over --help: `wakeword frob --help` would otherwise print the root help and exit 0, as if `frob` existed.
// (with --help, System.CommandLine keeps the stray words only in UnmatchedTokens).
if (parse.Action is ParseErrorAction || parse.Errors.Count > 0 || parse.UnmatchedTokens.Count > 0)
{
    // System.CommandLine exits 1 on a parse error; scripts here rely on 2 for usage errors.
    foreach (ParseError error in parse.Errors)
    {
        CommandGuard.Report(Console.Error, error.Message, ExitCodes.Usage);
    }

    if (parse.Errors.Count == 0)
    {
        foreach (string token in parse.UnmatchedTokens)
        {
            CommandGuard.Report(Console.Error, $"Unrecognized command or argument '{token}'.", ExitCodes.Usage);
        }
    }

    Console.Error.WriteLine("Run 'wakeword --help' (or 'wakeword <command> --help') for usage.");
    return ExitCodes.Usage;
}

return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
