using WakeWord.Audio.Files;
using WakeWord.Audio.Stdin;
using WakeWord.Cli.Inputs;
using WakeWord.Cli.Models;
using WakeWord.Cli.Output;
using WakeWord.Core.Audio;
using WakeWord.Core.Detection;
using WakeWord.Core.FrontEnds.LogMel;
using WakeWord.Core.Pipeline;
using WakeWord.Core.Scoring;
using WakeWord.Onnx;

namespace WakeWord.Cli.Detect;

/// <summary>
/// Runs each input through every requested model and prints what fires. Throws the exceptions
/// <see cref="CommandGuard"/> maps to exit codes; opens the models before the audio, so a bad model is reported even
/// when stdin would block. Several inputs are scored at once on the same loaded models (one ONNX session per model,
/// a stream's state per input) and printed in the order given, each line naming its input.
/// </summary>
public static class DetectRunner
{
    public static int Run(DetectRequest request, Stream stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!request.FromStdin && (request.StdinSampleRate is not null || request.StdinChannels is not null))
        {
            throw new UsageException("--rate and --channels describe raw PCM on stdin; a WAV file states its own format (use '-' to read stdin)");
        }

        if (request.PlotPath is not null && request.Inputs.Count > 1)
        {
            throw new UsageException($"--plot draws one input; got {request.Inputs.Count} (run detect --plot once per file)");
        }

        CheckPlotPath(request.PlotPath);

        IReadOnlyList<string> paths = ModelLocator.Resolve(request.ModelPaths, request.Words, request.ModelsDirectory);
        using ModelSet models = OnnxModelLoader.LoadAll(paths);
        if (request.Inputs.Count == 1)
        {
            // One input prints as it goes: someone may be waiting on an event from a live pipe (arecord | wakeword detect -).
            WriteSummary(stderr, RunOne(request, request.Inputs[0], label: null, models, stdout, cancellationToken));
            return ExitCodes.Ok;
        }

        WavHeaders.CheckAll(request.Inputs, models[0].Info.SampleRate);
        foreach ((MemoryStream output, string? summary) in ParallelInputs.Map(request.Inputs, request.Parallelism, (input, token) =>
        {
            var output = new MemoryStream();
            return (output, RunOne(request, input, label: input, models, output, token));
        }, cancellationToken))
        {
            output.WriteTo(stdout);
            stdout.Flush();
            WriteSummary(stderr, summary);
        }

        return ExitCodes.Ok;
    }

    private static void WriteSummary(TextWriter stderr, string? summary)
    {
        if (summary is not null)
        {
            stderr.WriteLine(summary);
        }
    }

    /// <returns>The summary line for stderr; null with --json.</returns>
    private static string? RunOne(
        DetectRequest request,
        string input,
        string? label,
        ModelSet scorers,
        Stream stdout,
        CancellationToken cancellationToken)
    {
        int sampleRate = scorers[0].Info.SampleRate;
        using var pipeline = new WakeWordPipeline(PipelineModels(scorers, request));
        using IAudioSource source = request.FromStdin
            ? new StdinPcmSource(
                inputSampleRate: request.StdinSampleRate ?? StdinPcmSource.DefaultSampleRate,
                inputChannels: request.StdinChannels ?? 1,
                sampleRate: sampleRate,
                wavAdvice: "Pass the file path instead of '-'")
            : new WavFileSource(input, sampleRate);
        using IDetectionWriter writer = request.Json
            ? new JsonLinesDetectionWriter(stdout, label)
            : new TextDetectionWriter(new StreamWriter(stdout, leaveOpen: true) { AutoFlush = false }, label);

        int events = 0;
        using IDisposable subscription = pipeline.Events.Subscribe(new DetectionObserver(writer, () => events++));
        ProbabilityPlot? plot = request.PlotPath is null ? null : new ProbabilityPlot([.. scorers.Select(s => s.Info)], DisplaySpectrogram(scorers[0]));
        using IDisposable? plotEvents = plot is null ? null : pipeline.Events.Subscribe(plot.AddEvent);
        if (request.Scores)
        {
            var stepTimes = new StepTiming[scorers.Count];
            for (int i = 0; i < scorers.Count; i++)
            {
                stepTimes[i] = scorers[i].Info.Timing;
            }

            pipeline.ScoreObserver = (model, step, probability) =>
            {
                writer.WriteScore(scorers[model].Info.Id, step, stepTimes[model].SecondsAvailable(step), probability);
                plot?.AddProbability(model, step, probability);
            };
        }
        else if (plot is not null)
        {
            pipeline.ScoreObserver = plot.AddProbability;
        }

        float[] buffer = new float[request.ChunkSamples];
        int read;
        while ((read = source.Read(buffer, cancellationToken)) > 0)
        {
            plot?.AddAudio(buffer.AsSpan(0, read));
            pipeline.Process(buffer.AsSpan(0, read));
        }

        writer.Flush();
        if (plot is not null)
        {
            SavePlot(plot, request, scorers);
        }

        if (request.Json)
        {
            return null;
        }

        double seconds = (double)pipeline.SamplesProcessed / sampleRate;
        string detectors = string.Join(", ", scorers.Select((s, i) => FormattableString.Invariant(
            $"{s.Info.Id} {string.Join('/', DetectorsFor(s.Info, request).Select(d => d.Threshold.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)))}")));
        return FormattableString.Invariant($"# {events} event(s) in {seconds:F2} s of audio from {source.Description}; thresholds: {detectors}");
    }

    private static List<PipelineModel> PipelineModels(ModelSet loaded, DetectRequest request)
    {
        var models = new List<PipelineModel>(loaded.Count);
        foreach (IWakeWordModel model in loaded)
        {
            models.Add(new PipelineModel(model, DetectorsFor(model.Info, request)));
        }

        return models;
    }

    private static void CheckPlotPath(string? path)
    {
        if (path is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(path) || Directory.Exists(path))
        {
            throw new UsageException($"--plot needs a file name for the PNG, got '{path}'");
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
        {
            throw new UsageException($"--plot: the folder {folder} does not exist");
        }
    }

    /// <summary>The lower panel of --plot: a log-mel model's own frames, or for other front ends the default log-mel at their rate.</summary>
    private static FeatureSpec DisplaySpectrogram(IWakeWordModel model) =>
        model.FrontEnd is LogMelFrontEnd logMel ? logMel.Features : FeatureSpec.Default with { SampleRate = model.Info.SampleRate };

    private static void SavePlot(ProbabilityPlot plot, DetectRequest request, ModelSet scorers)
    {
        IReadOnlyList<float>[] thresholds = [.. scorers.Select(s => (IReadOnlyList<float>)[.. DetectorsFor(s.Info, request).Select(d => d.Threshold)])];
        try
        {
            plot.Save(request.PlotPath!, request.FromStdin ? "wakeword detect: stdin" : $"wakeword detect: {Path.GetFileName(request.Inputs[0])}", thresholds);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--plot: cannot write {request.PlotPath} ({ex.Message.TrimEnd('.')}); the events above are complete");
        }
    }

    private static DetectorSettings[] DetectorsFor(ModelInfo info, DetectRequest request)
    {
        IReadOnlyList<float> thresholds = request.Thresholds ?? [info.RecommendedThreshold];
        double refractory = request.RefractorySeconds ?? info.RecommendedRefractorySeconds;
        var detectors = new DetectorSettings[thresholds.Count];
        for (int i = 0; i < detectors.Length; i++)
        {
            detectors[i] = new DetectorSettings(thresholds[i], request.ConsecutiveSteps, refractory);
        }

        return detectors;
    }
}
