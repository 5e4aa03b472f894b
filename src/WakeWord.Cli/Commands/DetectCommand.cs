using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using WakeWord.Cli.Detect;

namespace WakeWord.Cli.Commands;

/// <summary>`wakeword detect &lt;file|-&gt;`: run models over a WAV file or raw PCM on stdin and print wake events.</summary>
public static class DetectCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input")
        {
            Description = "A WAV file (any rate and channel count), or - for raw 16-bit little-endian PCM on stdin (mono, 16 kHz unless --rate/--channels say otherwise).",
        };
        Option<string[]> model = CommonOptions.Model();
        Option<string[]> word = CommonOptions.Word();
        Option<string?> modelsDir = CommonOptions.ModelsDirectory();
        Option<bool> json = CommonOptions.Json();
        var thresholds = new Option<float[]?>("--thresholds", "-t")
        {
            Description = "Comma-separated thresholds in [0, 1]; each runs as its own detector in the same pass (for sweeps). Default: the model's recommended threshold.",
            HelpName = "t1,t2,...",
            CustomParser = ParseThresholds,
        };
        Option<int> consecutive = CommonOptions.Consecutive();
        Option<double?> refractory = CommonOptions.Refractory();
        var scores = new Option<bool>("--scores")
        {
            Description = "Also print every per-step probability (text: 'score step=.. time_s=.. model=.. prob=..'; JSON: type \"score\").",
        };
        var plot = new Option<string?>("--plot")
        {
            Description = "Also draw a PNG: each model's probability over time, its threshold(s), the events and the audio level.",
            HelpName = "file.png",
        };
        var rate = new Option<int?>("--rate")
        {
            Description = "Sample rate of raw PCM on stdin (resampled to the model's rate). Default 16000.",
            HelpName = "hz",
        };
        rate.Validators.Add(r => RequireRange(r, r.GetValueOrDefault<int?>(), 1000, 384000, "--rate"));
        var channels = new Option<int?>("--channels")
        {
            Description = "Interleaved channels of raw PCM on stdin (averaged to mono). Default 1.",
            HelpName = "n",
        };
        channels.Validators.Add(r => RequireRange(r, r.GetValueOrDefault<int?>(), 1, 32, "--channels"));
        var chunk = new Option<int>("--chunk")
        {
            Description = "Samples fed to the pipeline per call (results do not depend on it).",
            DefaultValueFactory = _ => 1600,
            HelpName = "samples",
            Hidden = true,
        };
        chunk.Validators.Add(r => RequireRange(r, r.GetValueOrDefault<int>(), 1, 1 << 22, "--chunk"));

        var command = new Command(
            "detect",
            "Run wake-word models over a WAV file or stdin and print each event (time_s = seconds from the start of the input when the event fires). " +
            ExitCodes.HelpText)
        {
            input, model, word, modelsDir, thresholds, consecutive, refractory, json, scores, plot, rate, channels, chunk,
        };

        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandGuard.Run(() =>
        {
            var request = new DetectRequest(
                parse.GetRequiredValue(input),
                parse.GetValue(model) ?? [],
                parse.GetValue(word) ?? [],
                parse.GetValue(modelsDir),
                // Absent, an array option reads as empty, not null: empty means "the model's recommended threshold".
                parse.GetValue(thresholds) is { Length: > 0 } given ? given : null,
                parse.GetValue(consecutive),
                parse.GetValue(refractory),
                parse.GetValue(json),
                parse.GetValue(scores),
                parse.GetValue(rate),
                parse.GetValue(channels),
                parse.GetValue(chunk),
                parse.GetValue(plot));
            using Stream stdout = Console.OpenStandardOutput();
            return DetectRunner.Run(request, stdout, Console.Error, cancellationToken);
        })));
        return command;
    }

    private static float[]? ParseThresholds(ArgumentResult result)
    {
        var values = new List<float>();
        foreach (Token token in result.Tokens)
        {
            foreach (string part in token.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!float.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !(value >= 0f && value <= 1f))
                {
                    result.AddError($"--thresholds: '{part}' is not a number in [0, 1]");
                    return null;
                }

                values.Add(value);
            }
        }

        if (values.Count == 0)
        {
            result.AddError("--thresholds: give at least one threshold, e.g. --thresholds 0.3,0.5,0.7");
            return null;
        }

        return [.. values];
    }

    private static void RequireRange(OptionResult result, int? value, int minimum, int maximum, string name)
    {
        if (value is int v && (v < minimum || v > maximum))
        {
            result.AddError($"{name} must be between {minimum} and {maximum}, got {v}");
        }
    }
}
