using System.CommandLine;
using WakeWord.Cli.Detect;
using WakeWord.Cli.Parsing;

namespace WakeWord.Cli.Commands;

/// <summary>`wakeword detect &lt;file|-&gt;`: run models over a WAV file or raw PCM on stdin and print wake events.</summary>
public static class DetectCommand
{
    public static Command Create()
    {
        Argument<string> input = new Argument<string>("input")
        {
            Description = "A WAV file (any rate and channel count), or - for raw 16-bit little-endian PCM on stdin (mono, 16 kHz unless --rate/--channels say otherwise).",
            CustomParser = r => r.Tokens is [{ Value: string path }] && !string.IsNullOrWhiteSpace(path) ? path : Refuse(r),
        }.Accepting("a WAV file path, or - for raw PCM on stdin");
        Option<string[]> model = CommonOptions.Model();
        Option<string[]> word = CommonOptions.Word();
        Option<string?> modelsDir = CommonOptions.ModelsDirectory();
        Option<bool> json = CommonOptions.Json();
        Option<float[]?> thresholds = new Option<float[]?>("--thresholds", "-t")
        {
            Description = "Comma-separated thresholds in [0, 1]; each runs as its own detector in the same pass (for sweeps). Default: the model's recommended threshold.",
            HelpName = "t1,t2,...",
            CustomParser = ThresholdList.Parse,
        }.Accepting(ThresholdList.Accepts);
        Option<int> consecutive = CommonOptions.Consecutive();
        Option<double?> refractory = CommonOptions.Refractory();
        Option<bool> scores = ValueOptions.Switch("--scores");
        scores.Description = "Also print every per-step probability (text: 'score step=.. time_s=.. model=.. prob=..'; JSON: type \"score\").";
        Option<string?> plot = ValueOptions.Text("--plot", "a path for the PNG to draw");
        plot.Description = "Also draw a PNG: each model's probability over time, its threshold(s), the events and the audio level.";
        plot.HelpName = "file.png";
        Option<int?> rate = ValueOptions.OptionalWhole("--rate", "of Hz", 1000, 384000);
        rate.Description = "Sample rate of raw PCM on stdin (resampled to the model's rate). Default 16000.";
        rate.HelpName = "hz";
        Option<int?> channels = ValueOptions.OptionalWhole("--channels", "of channels", 1, 32);
        channels.Description = "Interleaved channels of raw PCM on stdin (averaged to mono). Default 1.";
        channels.HelpName = "n";
        Option<int> chunk = ValueOptions.Whole("--chunk", "of samples", 1, 1 << 22, 1600);
        chunk.Description = "Samples fed to the pipeline per call (results do not depend on it).";
        chunk.HelpName = "samples";
        chunk.Hidden = true;

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

    private static string Refuse(System.CommandLine.Parsing.ArgumentResult result)
    {
        result.AddError(AcceptedValues.Refusal(result.Argument, result.Tokens.Count > 0 ? result.Tokens[0].Value : null));
        return "";
    }
}
