using WakeWord.Audio.Files;
using WakeWord.Audio.Stdin;
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
/// Runs one input through every requested model and prints what fires. Throws the exceptions
/// <see cref="CommandGuard"/> maps to exit codes; opens the models before the audio, so a bad model is reported even
/// when stdin would block.
/// </summary>
public static class DetectRunner
{
    public static int Run(DetectRequest request, Stream stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!request.FromStdin && (request.StdinSampleRate is not null || request.StdinChannels is not null))
        {
            throw new UsageException("--rate and --channels describe raw PCM on stdin; a WAV file states its own format (use '-' to read stdin)");
        }

        CheckPlotPath(request.PlotPath);

        IReadOnlyList<string> paths = ModelLocator.Resolve(request.ModelPaths, request.Words, request.ModelsDirectory);
        using ModelSet models = OnnxModelLoader.LoadAll(paths);
        using var pipeline = new WakeWordPipeline(PipelineModels(models, request));
        return Run(request, pipeline, models, stdout, stderr, cancellationToken);
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

    private static int Run(
        DetectRequest request,
        WakeWordPipeline pipeline,
        ModelSet scorers,
        Stream stdout,
        TextWriter stderr,
        CancellationToken cancellationToken)
    {
        int sampleRate = scorers[0].Info.SampleRate;
        using IAudioSource source = request.FromStdin
            ? new StdinPcmSource(
                inputSampleRate: request.StdinSampleRate ?? StdinPcmSource.DefaultSampleRate,
                inputChannels: request.StdinChannels ?? 1,
                sampleRate: sampleRate,
                wavAdvice: "Pass the file path instead of '-'")
            : new WavFileSource(request.Input, sampleRate);
        using IDetectionWriter writer = request.Json
            ? new JsonLinesDetectionWriter(stdout)
            : new TextDetectionWriter(new StreamWriter(stdout) { AutoFlush = false });

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

        if (!request.Json)
        {
            double seconds = (double)pipeline.SamplesProcessed / sampleRate;
            string detectors = string.Join(", ", scorers.Select((s, i) => FormattableString.Invariant(
                $"{s.Info.Id} {string.Join('/', DetectorsFor(s.Info, request).Select(d => d.Threshold.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)))}")));
            stderr.WriteLine(FormattableString.Invariant(
                $"# {events} event(s) in {seconds:F2} s of audio from {source.Description}; thresholds: {detectors}"));
        }

        return ExitCodes.Ok;
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
            plot.Save(request.PlotPath!, request.FromStdin ? "wakeword detect: stdin" : $"wakeword detect: {Path.GetFileName(request.Input)}", thresholds);
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
