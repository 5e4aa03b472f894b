using System.CommandLine;
using WakeWord.Cli.Parsing;
using WakeWord.Core.Detection;

namespace WakeWord.Cli.Commands;

/// <summary>Options several commands share, built fresh per command (a symbol belongs to one parent).</summary>
public static class CommonOptions
{
    /// <summary>Most steps in a row --consecutive takes: 30 s of held ones, far more than any model needs.</summary>
    public const int MaxConsecutiveSteps = 1000;

    /// <summary>Longest --refractory: an hour of silence after an event is already no detector.</summary>
    public const double MaxRefractorySeconds = 3600;

    public static Option<string[]> Model()
    {
        Option<string[]> option = ValueOptions.Texts("--model", "a path to a model file (.onnx)", "-m");
        option.Description = "A model file (.onnx); repeat for several models. Default: every model in --models-dir.";
        option.HelpName = "path";
        return option;
    }

    public static Option<string[]> Word()
    {
        Option<string[]> option = ValueOptions.Texts("--word", "a wake word, e.g. computer", "-w");
        option.Description = "Choose a model in --models-dir by its wake word (e.g. computer); repeatable.";
        option.HelpName = "word";
        return option;
    }

    public static Option<string?> ModelsDirectory()
    {
        Option<string?> option = ValueOptions.Text("--models-dir", "a path to a folder of models");
        option.Description = "Folder of models. Default: the models/ folder next to the wakeword binary.";
        option.HelpName = "folder";
        return option;
    }

    public static Option<bool> Json()
    {
        Option<bool> option = ValueOptions.Switch("--json");
        option.Description = "Print JSON lines (one object per line) instead of text.";
        return option;
    }

    /// <summary>--consecutive (detect, tune): the detector's held-ones rule, at least 1.</summary>
    public static Option<int> Consecutive()
    {
        Option<int> option = ValueOptions.Whole("--consecutive", "of steps", 1, MaxConsecutiveSteps, DetectorSettings.DefaultConsecutiveSteps);
        option.Description = "Steps in a row at or above the threshold before an event fires (the service's ConsecutiveSteps).";
        option.HelpName = "steps";
        return option;
    }

    /// <summary>--refractory (detect, tune): seconds after an event with no other; absent means the model's value.</summary>
    public static Option<double?> Refractory()
    {
        Option<double?> option = ValueOptions.OptionalReal("--refractory", "of seconds", 0, minIncluded: true, MaxRefractorySeconds);
        option.Description = "Seconds after an event during which the same detector stays silent. Default: the model's recommended value.";
        option.HelpName = "seconds";
        return option;
    }

    /// <summary>--pipe (listen, status): where the running service serves its events.</summary>
    public static Option<string?> Pipe()
    {
        Option<string?> option = ValueOptions.Text("--pipe", "the service's socket path (Unix) or pipe name (Windows)");
        option.Description = "The service's socket path (Unix) or pipe name (Windows). Default: $XDG_RUNTIME_DIR/wakeword.sock, " +
            "/run/wakeword/events.sock or the temp folder's wakeword-<user>/events.sock, whichever exists (Events:PipeName of the service).";
        option.HelpName = "path";
        return option;
    }
}
