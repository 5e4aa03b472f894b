using System.CommandLine;
using WakeWord.Core.Detection;

namespace WakeWord.Cli.Commands;

/// <summary>Options several commands share, built fresh per command (a symbol belongs to one parent).</summary>
public static class CommonOptions
{
    public static Option<string[]> Model() => new("--model", "-m")
    {
        Description = "A model file (.onnx); repeat for several models. Default: every model in --models-dir.",
        HelpName = "path",
    };

    public static Option<string[]> Word() => new("--word", "-w")
    {
        Description = "Choose a model in --models-dir by its wake word (e.g. computer); repeatable.",
        HelpName = "word",
    };

    public static Option<string?> ModelsDirectory() => new("--models-dir")
    {
        Description = "Folder of models. Default: the models/ folder next to the wakeword binary.",
        HelpName = "folder",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print JSON lines (one object per line) instead of text.",
    };

    /// <summary>--consecutive (detect, tune): the detector's held-ones rule, at least 1.</summary>
    public static Option<int> Consecutive()
    {
        var option = new Option<int>("--consecutive")
        {
            Description = "Steps in a row at or above the threshold before an event fires (the service's ConsecutiveSteps).",
            DefaultValueFactory = _ => DetectorSettings.DefaultConsecutiveSteps,
            HelpName = "steps",
        };
        option.Validators.Add(r =>
        {
            int value = r.GetValueOrDefault<int>();
            if (DetectorSettings.ConsecutiveStepsProblem(value) is string problem)
            {
                r.AddError($"--consecutive {problem}, got {value}");
            }
        });
        return option;
    }

    /// <summary>--refractory (detect, tune): seconds after an event with no other; absent means the model's value.</summary>
    public static Option<double?> Refractory()
    {
        var option = new Option<double?>("--refractory")
        {
            Description = "Seconds after an event during which the same detector stays silent. Default: the model's recommended value.",
            HelpName = "seconds",
        };
        option.Validators.Add(r =>
        {
            double? value = r.GetValueOrDefault<double?>();
            if (value is double seconds && DetectorSettings.RefractoryProblem(seconds) is string problem)
            {
                r.AddError(FormattableString.Invariant($"--refractory {problem}, got {value}"));
            }
        });
        return option;
    }

    /// <summary>--pipe (listen, status): where the running service serves its events.</summary>
    public static Option<string?> Pipe() => new("--pipe")
    {
        Description = "The service's socket path (Unix) or pipe name (Windows). Default: $XDG_RUNTIME_DIR/wakeword.sock, " +
            "/run/wakeword/events.sock or the temp folder's wakeword-<user>/events.sock, whichever exists (Events:PipeName of the service).",
        HelpName = "path",
    };
}
