using System.CommandLine;
using WakeWord.Cli.Inputs;
using WakeWord.Cli.Parsing;
using WakeWord.Cli.Tune;

namespace WakeWord.Cli.Commands;

/// <summary>`wakeword tune`: pick a threshold for the user's own room from recordings of it (and of the user saying the word).</summary>
public static class TuneCommand
{
    public static Command Create()
    {
        Option<string[]> room = ValueOptions.Texts("--room", "a path to a WAV recording of the room", "-r");
        room.Description = "A WAV recording of the room the service listens in (TV, conversation, music; minutes to hours) " +
            "with nobody saying the wake word; repeatable. Every event in it counts as a false accept.";
        room.HelpName = "file.wav";
        room.Required = true;
        room.AllowMultipleArgumentsPerToken = true;
        Option<string[]> own = ValueOptions.Texts("--own", "a path to a WAV recording of you saying the wake word", "-o");
        own.Description = "A WAV recording of you saying the wake word once; repeatable. tune reports how many it finds.";
        own.HelpName = "file.wav";
        own.AllowMultipleArgumentsPerToken = true;
        Option<string[]> model = CommonOptions.Model();
        Option<string[]> word = CommonOptions.Word();
        Option<string?> modelsDir = CommonOptions.ModelsDirectory();
        Option<bool> json = CommonOptions.Json();
        Option<double> target = ValueOptions.Real("--target-fa", "of false accepts per hour", 0, minIncluded: false, 10000, 0.5);
        target.Description = "False accepts per hour the threshold may cost in this room (default 0.5).";
        target.HelpName = "per-hour";
        Option<int> consecutive = CommonOptions.Consecutive();
        Option<double?> refractory = CommonOptions.Refractory();
        Option<string?> plot = ValueOptions.Text("--plot", "a path for the PNG to draw");
        plot.Description = "Draw false accepts per hour and the share of your recordings found against the threshold into this PNG.";
        plot.HelpName = "file.png";
        Option<string?> write = ValueOptions.Text("--write", "a path to the service's settings file (appsettings.json)");
        write.Description = "Write the recommended threshold into this settings file's Models:Active entry for the model (appsettings.json).";
        write.HelpName = "appsettings.json";
        Option<int?> parallel = ValueOptions.OptionalWhole("--parallel", "of recordings", 1, 1024);
        parallel.Description = "How many recordings are scored at once on the one loaded model (default: one per CPU core).";
        parallel.HelpName = "n";
        var command = new Command(
            "tune",
            "Recommend a threshold for your room: runs the model over recordings of the room at thresholds from 0.01 to 0.999 " +
            "and picks the lowest that keeps false accepts under --target-fa per hour, with the share of your own recordings " +
            "of the word it still finds. Exit codes: 0 ok, 1 --write asked but no threshold reaches the target, 2 usage, " +
            "3 a recording cannot be read, 4 model error.")
        {
            room, own, model, word, modelsDir, target, consecutive, refractory, plot, write, json, parallel,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandGuard.Run(() =>
        {
            double targetPerHour = parse.GetValue(target);
            var request = new TuneRequest(parse.GetValue(room) ?? [], parse.GetValue(own) ?? [], parse.GetValue(model) ?? [],
                parse.GetValue(word) ?? [], parse.GetValue(modelsDir), targetPerHour, parse.GetValue(consecutive), parse.GetValue(refractory),
                parse.GetValue(plot), parse.GetValue(write), parse.GetValue(json), parse.GetValue(parallel) ?? ParallelInputs.DefaultParallelism);
            return TuneRunner.Run(request, Console.Out, Console.Error, cancellationToken);
        })));
        return command;
    }
}
