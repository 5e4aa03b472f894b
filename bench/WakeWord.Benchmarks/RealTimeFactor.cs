using System.Diagnostics;
using System.Globalization;
using WakeWord.Core.Detection;
using WakeWord.Core.Pipeline;
using WakeWord.Core.Scoring;
using WakeWord.Onnx;

namespace WakeWord.Benchmarks;

/// <summary>
/// `--rtf`: passes over an hour of audio with a Stopwatch, no BenchmarkDotNet harness, printing per configuration: audio
/// seconds, wall seconds, real-time factor, CPU seconds per audio hour, allocations. Each `--model` (repeatable) is one
/// configuration run alone; `--together` adds one run of all of them in one pipeline (models that name the same front
/// end share it). `--copies N` runs N copies of each model together as well (a second wake word on the same front end).
/// `--repeat N` runs every configuration N times, round-robin, and then prints each one's fastest and median CPU figure
/// and, with copies, the ratio of N copies to one: on a shared virtual machine one pass can be 30% slow, and a ratio of
/// two single passes says little.
/// </summary>
internal static class RealTimeFactor
{
    public static int Run(string[] args)
    {
        var o = TimedRunOptions.Parse(args, "--rtf", "[--seconds S] [--chunk SAMPLES] [--model PATH]... [--copies N] [--repeat N] [--together]");
        if (o is null)
        {
            return 2;
        }

        (double seconds, int chunk, int copies, int repeat, bool together, List<string> models) = (o.Seconds, o.Chunk, o.Copies, o.Repeat, o.Together, o.Models);
        (float[] loop, string description) = BenchAudio.Loop();
        loop = loop[..(loop.Length / chunk * chunk)];
        CultureInfo inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"audio: {description}, {chunk} samples per Process call, {seconds:F0} s per run");
        Console.WriteLine("| models | front ends computed | wall s | real-time factor | CPU s per audio hour | allocated (bytes, gen0 GCs) | peak working set MB |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var runs = new List<List<string>>();
        foreach (string model in models)
        {
            runs.Add([model]);
            if (copies > 1)
            {
                runs.Add([.. Enumerable.Repeat(model, copies)]);
            }
        }

        if (together && models.Count > 1)
        {
            runs.Add(models);
        }

        var cpu = runs.Select(_ => new List<double>()).ToList();
        for (int round = 0; round < repeat; round++)
        {
            for (int r = 0; r < runs.Count; r++)
            {
                cpu[r].Add(Measure(runs[r], loop, chunk, seconds, inv));
            }
        }

        if (repeat > 1)
        {
            PrintSummary(runs, cpu, copies, inv);
        }

        return 0;
    }

    private static void PrintSummary(List<List<string>> runs, List<List<double>> cpu, int copies, CultureInfo inv)
    {
        Console.WriteLine();
        Console.WriteLine($"CPU s per audio hour over {cpu[0].Count} rounds:");
        Console.WriteLine("| models | fastest | median | ratio to one model (fastest, median) |");
        Console.WriteLine("|---|---|---|---|");
        for (int r = 0; r < runs.Count; r++)
        {
            string names = string.Join(" + ", runs[r].Select(p => Path.GetFileName(p)));
            string ratio = "";
            if (copies > 1 && r > 0 && runs[r].Count == copies && runs[r - 1].Count == 1 && runs[r][0] == runs[r - 1][0])
            {
                ratio = string.Format(inv, "{0:F2} x, {1:F2} x", cpu[r].Min() / cpu[r - 1].Min(), Median(cpu[r]) / Median(cpu[r - 1]));
            }

            Console.WriteLine(string.Format(inv, "| {0} | {1:F2} | {2:F2} | {3} |", names, cpu[r].Min(), Median(cpu[r]), ratio));
        }
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Runs one configuration, prints its row, returns its CPU seconds per audio hour.</summary>
    private static double Measure(List<string> paths, float[] loop, int chunk, double seconds, CultureInfo inv)
    {
        using ModelSet models = OnnxModelLoader.LoadAll(paths);
        using var pipeline = new WakeWordPipeline([.. models.Select(m => new PipelineModel(m, [new DetectorSettings(m.Info.RecommendedThreshold, 1, m.Info.RecommendedRefractorySeconds)]))]);
        int events = 0;
        using IDisposable subscription = pipeline.Events.Subscribe(_ => events++);

        // Warm-up (JIT, ONNX Runtime's first runs) on 10 s, then start from a clean stream.
        for (int start = 0; start + chunk <= Math.Min(loop.Length, 10 * BenchAudio.SampleRate); start += chunk)
        {
            pipeline.Process(loop.AsSpan(start, chunk));
        }

        pipeline.Reset();
        long target = (long)(seconds * BenchAudio.SampleRate);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        TimeSpan cpuBefore = process.TotalProcessorTime;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        int gcBefore = GC.CollectionCount(0);
        var watch = Stopwatch.StartNew();
        long done = 0;
        while (done < target)
        {
            for (int start = 0; start < loop.Length && done < target; start += chunk)
            {
                pipeline.Process(loop.AsSpan(start, chunk));
                done += chunk;
            }
        }

        watch.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        double audio = (double)done / BenchAudio.SampleRate;
        double wall = watch.Elapsed.TotalSeconds;
        string names = string.Join(" + ", models.Select(m => $"{Path.GetRelativePath(BenchAudio.RepoRoot, m.Info.Path)} ({m.Info.FrontEnd.Kind})"));
        Console.WriteLine(string.Format(inv, "| {0} | {1} | {2:F2} | {3:F5} | {4:F2} | {5}, {6} | {7:F1} |",
            names, pipeline.FrontEndCount, wall, wall / audio, cpu / audio * 3600, allocated, GC.CollectionCount(0) - gcBefore,
            process.PeakWorkingSet64 / 1048576.0));
        return cpu / audio * 3600;
    }
}
