using System.Globalization;
using WakeWord.Cli.Inputs;
using WakeWord.Cli.Models;
using WakeWord.Core.Scoring;
using WakeWord.Onnx;

namespace WakeWord.Cli.Tune;

/// <summary>What `wakeword tune` was asked to do.</summary>
public sealed record TuneRequest(
    IReadOnlyList<string> Room,
    IReadOnlyList<string> Own,
    IReadOnlyList<string> ModelPaths,
    IReadOnlyList<string> Words,
    string? ModelsDirectory,
    double TargetPerHour,
    int ConsecutiveSteps,
    double? RefractorySeconds,
    string? PlotPath,
    string? WritePath,
    bool Json,
    int Parallelism = 1);

/// <summary>
/// Runs the real pipeline over the user's room recordings (false accepts) and own recordings of the word (hits) at
/// every grid threshold, and recommends the lowest threshold that keeps the room under the target rate.
/// </summary>
public static class TuneRunner
{
    /// <summary>Silence after each own recording: the word may end right at the end of the file.</summary>
    public const double OwnTailSeconds = 1.0;

    public static int Run(TuneRequest request, TextWriter output, TextWriter progress, CancellationToken cancellationToken)
    {
        if (request.PlotPath is { } plot && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(plot))))
        {
            throw new UsageException($"--plot: the folder of {plot} does not exist");
        }

        if (request.WritePath is { } write && !File.Exists(write))
        {
            throw new UsageException($"--write: {write} does not exist (give the service's appsettings.json)");
        }

        IReadOnlyList<string> paths = ModelLocator.Resolve(request.ModelPaths, request.Words, request.ModelsDirectory);
        if (paths.Count != 1)
        {
            throw new UsageException("tune picks a threshold for one model; choose it with --model or --word (found: " +
                string.Join(", ", paths.Select(Path.GetFileName)) + ")");
        }

        using ModelSet models = OnnxModelLoader.LoadAll(paths);
        IWakeWordModel scorer = models[0];
        if (request.WritePath is { } target)
        {
            SettingsThresholdWriter.Check(target, scorer.Info); // before an hour of audio, not after
        }

        WavHeaders.CheckAll(request.Room.Concat(request.Own), scorer.Info.SampleRate);
        var sweep = new ThresholdSweep(scorer, request.ConsecutiveSteps,
            request.RefractorySeconds ?? scorer.Info.RecommendedRefractorySeconds);
        TuneResult result = Measure(sweep, request, progress, cancellationToken);

        if (request.Json)
        {
            TuneReport.WriteJson(result, output);
        }
        else
        {
            TuneReport.WriteText(result, output);
        }

        if (request.PlotPath is { } png)
        {
            TunePlot.Save(result, png);
            progress.WriteLine($"wakeword: drew {png}");
        }

        if (request.WritePath is { } settings)
        {
            if (result.Recommended is not { } chosen)
            {
                return CommandGuard.Report(progress, $"{settings} not changed: no threshold keeps this room under " +
                    $"{Format(request.TargetPerHour)} false accepts per hour", ExitCodes.Unexpected);
            }

            if (!result.CanShowTarget)
            {
                return CommandGuard.Report(progress, string.Create(CultureInfo.InvariantCulture,
                    $"{settings} not changed: {result.RoomHours:0.###} h of the room cannot show {Format(request.TargetPerHour)} false " +
                    $"accepts per hour; record at least {result.HoursNeeded:0.#} h (or raise --target-fa)"), ExitCodes.Unexpected);
            }

            string key = SettingsThresholdWriter.Write(settings, scorer.Info, chosen.Threshold);
            progress.WriteLine($"wakeword: wrote {key} = {Format(chosen.Threshold)} to {settings} (a running service takes it without a restart)");
        }

        return ExitCodes.Ok;
    }

    private static TuneResult Measure(ThresholdSweep sweep, TuneRequest request, TextWriter progress, CancellationToken cancellationToken)
    {
        int n = ThresholdSweep.Grid.Length;
        int[] falseAccepts = new int[n];
        double roomSeconds = 0;
        int f = 0;
        foreach ((int[] events, double seconds) in ParallelInputs.Map(request.Room, request.Parallelism,
            (path, token) => sweep.Run(path, 0, token), cancellationToken))
        {
            roomSeconds += seconds;
            for (int i = 0; i < n; i++)
            {
                falseAccepts[i] += events[i];
            }

            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wakeword: room {f + 1}/{request.Room.Count}: {Path.GetFileName(request.Room[f])}, {seconds / 60:0.0} min"));
            f++;
        }

        if (roomSeconds <= 0)
        {
            throw new UsageException("--room: the recordings hold no audio");
        }

        int[] hits = new int[n];
        foreach ((int[] events, _) in ParallelInputs.Map(request.Own, request.Parallelism,
            (path, token) => sweep.Run(path, OwnTailSeconds, token), cancellationToken))
        {
            for (int i = 0; i < n; i++)
            {
                hits[i] += events[i] > 0 ? 1 : 0;
            }
        }

        if (request.Own.Count > 0)
        {
            progress.WriteLine($"wakeword: {request.Own.Count} recording(s) of the word");
        }

        double hours = roomSeconds / 3600;
        var rows = new TuneRow[n];
        for (int i = 0; i < n; i++)
        {
            rows[i] = new TuneRow(ThresholdSweep.Grid[i], falseAccepts[i], falseAccepts[i] / hours, hits[i],
                request.Own.Count > 0 ? (double)hits[i] / request.Own.Count : null);
        }

        int allowed = (int)Math.Floor(request.TargetPerHour * hours + 1e-9);
        return new TuneResult(sweep.Info.Id, sweep.Info.Word, request.TargetPerHour, hours, request.Room.Count, request.Own.Count,
            allowed, 3 / hours, TuneResult.Recommend(rows, allowed), rows);
    }

    internal static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
