using System.CommandLine;
using WakeWord.Cli.Tune;

namespace WakeWord.Cli.Commands;

/// <summary>`wakeword tune`: pick a threshold for the user's own room from recordings of it (and of the user saying the word).</summary>
public static class TuneCommand
{
    public static Command Create()
    {
        var room = new Option<string[]>("--room", "-r")
        {
            Description = "A WAV recording of the room the service listens in (TV, conversation, music; minutes to hours) " +
                "with nobody saying the wake word; repeatable. Every event in it counts as a false accept.",
            HelpName = "file.wav",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var own = new Option<string[]>("--own", "-o")
        {
            Description = "A WAV recording of you saying the wake word once; repeatable. tune reports how many it finds.",
            HelpName = "file.wav",
            AllowMultipleArgumentsPerToken = true,
        };
        Option<string[]> model = CommonOptions.Model();
        Option<string[]> word = CommonOptions.Word();
        Option<string?> modelsDir = CommonOptions.ModelsDirectory();
        Option<bool> json = CommonOptions.Json();
        var target = new Option<double>("--target-fa")
        {
            Description = "False accepts per hour the threshold may cost in this room (default 0.5).",
            DefaultValueFactory = _ => 0.5,
            HelpName = "per-hour",
        };
        Option<int> consecutive = CommonOptions.Consecutive();
        Option<double?> refractory = CommonOptions.Refractory();
        var plot = new Option<string?>("--plot")
        {
            Description = "Draw false accepts per hour and the share of your recordings found against the threshold into this PNG.",
            HelpName = "file.png",
        };
        var write = new Option<string?>("--write")
        {
            Description = "Write the recommended threshold into this settings file's Models:Active entry for the model (appsettings.json).",
            HelpName = "appsettings.json",
        };
        var command = new Command(
            "tune",
            "Recommend a threshold for your room: runs the model over recordings of the room at thresholds from 0.01 to 0.999 " +
            "and picks the lowest that keeps false accepts under --target-fa per hour, with the share of your own recordings " +
            "of the word it still finds. Exit codes: 0 ok, 1 --write asked but no threshold reaches the target, 2 usage, " +
            "3 a recording cannot be read, 4 model error.")
        {
            room, own, model, word, modelsDir, target, consecutive, refractory, plot, write, json,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandGuard.Run(() =>
        {
            double targetPerHour = parse.GetValue(target);
            if (!(targetPerHour > 0 && targetPerHour <= 10000))
            {
                throw new UsageException(FormattableString.Invariant($"--target-fa must be a rate above 0 per hour, got {targetPerHour}"));
            }

            var request = new TuneRequest(parse.GetValue(room) ?? [], parse.GetValue(own) ?? [], parse.GetValue(model) ?? [],
                parse.GetValue(word) ?? [], parse.GetValue(modelsDir), targetPerHour, parse.GetValue(consecutive), parse.GetValue(refractory),
                parse.GetValue(plot), parse.GetValue(write), parse.GetValue(json));
            return TuneRunner.Run(request, Console.Out, Console.Error, cancellationToken);
        })));
        return command;
    }
}
