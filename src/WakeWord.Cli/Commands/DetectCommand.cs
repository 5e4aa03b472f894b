using System.CommandLine;
using WakeWord.Cli.Detect;
using WakeWord.Cli.Inputs;
using WakeWord.Cli.Parsing;

namespace WakeWord.Cli.Commands;

/// <summary>`wakeword detect &lt;file...|-&gt;`: run models over WAV files or raw PCM on stdin and print wake events.</summary>
public static class DetectCommand
{
    public static Command Create()
    {
        Argument<string[]> input = new Argument<string[]>("input")
        {
            Description = "WAV files (any rate and channel count; several are scored at once, see --parallel), or - for raw 16-bit " +
                "little-endian PCM on stdin (mono, 16 kHz unless --rate/--channels say otherwise).",
            Arity = ArgumentArity.OneOrMore,
            CustomParser = ParseInputs,
        }.Accepting("WAV file paths, or - alone for raw PCM on stdin");
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
        Option<int?> parallel = ValueOptions.OptionalWhole("--parallel", "of inputs", 1, 1024);
        parallel.Description = "With several files: how many are scored at once on the same loaded models (default: one per CPU core). " +
            "Output comes in the order the files were given, each line naming its file.";
        parallel.HelpName = "n";

        var command = new Command(
            "detect",
            "Run wake-word models over WAV files or stdin and print each event (time_s = seconds from the start of the input when the event fires). " +
            ExitCodes.HelpText)
        {
            input, model, word, modelsDir, thresholds, consecutive, refractory, json, scores, plot, rate, channels, chunk, parallel,
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
                parse.GetValue(plot),
                parse.GetValue(parallel) ?? ParallelInputs.DefaultParallelism);
            using Stream stdout = Console.OpenStandardOutput();
            return DetectRunner.Run(request, stdout, Console.Error, cancellationToken);
        })));
        return command;
    }

    /// <summary>Every path non-empty; "-" (stdin) only alone; no word that looks like an option.</summary>
    private static string[] ParseInputs(System.CommandLine.Parsing.ArgumentResult result)
    {
        foreach (System.CommandLine.Parsing.Token token in result.Tokens)
        {
            if (string.IsNullOrWhiteSpace(token.Value))
            {
                result.AddError(AcceptedValues.Refusal(result.Argument, token.Value));
                return [];
            }

            if (token.Value.Length > 1 && token.Value[0] == '-')
            {
                // An input takes any number of words, so System.CommandLine hands it a mistyped option (`--thresold`)
                // as one more file. A file whose name starts with '-' is ./-name, as for other Unix tools.
                result.AddError(ParseProblems.Unrecognized(token.Value, "wakeword detect"));
                return [];
            }
        }

        if (result.Tokens.Count > 1 && result.Tokens.Any(t => t.Value == DetectRequest.StdinInput))
        {
            result.AddError(AcceptedValues.Refusal(result.Argument, string.Join(' ', result.Tokens.Select(t => t.Value)),
                "stdin is one stream: give '-' alone"));
            return [];
        }

        return [.. result.Tokens.Select(t => t.Value)];
    }
}
