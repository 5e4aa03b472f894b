using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using WakeWord.Cli.Models;
using WakeWord.Core.FrontEnds;
using WakeWord.Core.Scoring;
using WakeWord.Onnx;

namespace WakeWord.Cli.Commands;

/// <summary>`wakeword models`: list models with what their metadata says (word, version, threshold, features, path).</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        Option<string[]> model = CommonOptions.Model();
        Option<string?> modelsDir = CommonOptions.ModelsDirectory();
        Option<bool> json = CommonOptions.Json();
        var command = new Command(
            "models",
            "List models and their metadata (word, version, threshold, held ones, features, path). A model that cannot be used is reported on stderr, exit code 4.")
        {
            model, modelsDir, json,
        };
        command.SetAction(parse => CommandGuard.Run(() =>
        {
            IReadOnlyList<string> paths = ModelLocator.Resolve(parse.GetValue(model) ?? [], [], parse.GetValue(modelsDir));
            using Stream stdout = Console.OpenStandardOutput();
            return List(paths, parse.GetValue(json), stdout, Console.Error);
        }));
        return command;
    }

    public static int List(IReadOnlyList<string> paths, bool json, Stream stdout, TextWriter stderr)
    {
        var failures = new List<string>();
        using var text = new StreamWriter(stdout, leaveOpen: true);
        using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        foreach (string path in paths)
        {
            ModelInfo info;
            try
            {
                info = OnnxModelLoader.ReadInfo(path);
            }
            catch (ModelLoadException ex)
            {
                failures.Add(ex.Message);
                continue;
            }

            if (json)
            {
                WriteJson(writer, info);
                writer.Flush();
                stdout.WriteByte((byte)'\n');
                writer.Reset();
            }
            else
            {
                WriteText(text, info);
                text.Flush();
            }
        }

        foreach (string failure in failures)
        {
            CommandGuard.Report(stderr, failure, ExitCodes.Model);
        }

        return failures.Count == 0 ? ExitCodes.Ok : ExitCodes.Model;
    }

    private static void WriteText(TextWriter text, ModelInfo info)
    {
        FrontEndSpec f = info.FrontEnd;
        text.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{info.Id}: word \"{info.Word}\", version {info.Version}, threshold {info.RecommendedThreshold:0.###}, held ones {info.HeldOnesSteps} steps, refractory {info.RecommendedRefractorySeconds:0.###} s"));
        text.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  front end: {f.Kind} ({f.Identity}), {f.SampleRate} Hz, {f.Width} values per row; {info.RowsPerStep} rows per step ({info.StepSeconds * 1000:0.#} ms)"));
        text.WriteLine($"  path: {info.Path}");
    }

    private static void WriteJson(Utf8JsonWriter json, ModelInfo info)
    {
        FrontEndSpec f = info.FrontEnd;
        json.WriteStartObject();
        json.WriteString("id", info.Id);
        json.WriteString("word", info.Word);
        json.WriteString("version", info.Version);
        json.WriteString("path", info.Path);
        json.WriteNumber("threshold", info.RecommendedThreshold);
        json.WriteNumber("held_ones_steps", info.HeldOnesSteps);
        json.WriteNumber("refractory_s", info.RecommendedRefractorySeconds);
        json.WriteNumber("rows_per_step", info.RowsPerStep);
        json.WriteNumber("step_s", info.StepSeconds);
        json.WriteStartObject("front_end");
        json.WriteString("kind", f.Kind);
        json.WriteString("identity", f.Identity);
        json.WriteNumber("sample_rate", f.SampleRate);
        json.WriteNumber("row_samples", f.RowSamples);
        json.WriteNumber("first_row_samples", f.FirstRowSamples);
        json.WriteNumber("width", f.Width);
        json.WriteEndObject();
        json.WriteStartObject("metadata");
        foreach (KeyValuePair<string, string> pair in info.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json.WriteString(pair.Key, pair.Value);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
