using System.Diagnostics;
using System.Globalization;
using WakeWord.Core.Detection;
using WakeWord.Core.Pipeline;
using WakeWord.Core.Scoring;
using WakeWord.Onnx;

namespace WakeWord.Benchmarks;

/// <summary>
/// `--rtf`: one pass over an hour of audio with a Stopwatch, no BenchmarkDotNet harness, printing the figures the issue
/// asks for: audio seconds, wall seconds, real-time factor, CPU share of one core, peak working set.
/// </summary>
internal static class RealTimeFactor
{
    public static int Run(string[] args)
    {
        double seconds = 3600;
        int chunk = 1280;
        string model = BenchAudio.ModelPath;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds" when i + 1 < args.Length:
                    seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--chunk" when i + 1 < args.Length:
                    chunk = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--model" when i + 1 < args.Length:
                    model = args[++i];
                    break;
                case "--rtf":
                    break;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: --rtf [--seconds S] [--chunk SAMPLES] [--model PATH]");
                    return 2;
            }
        }

        if (chunk < 1 || seconds <= 0)
        {
            Console.Error.WriteLine($"--chunk must be at least 1 and --seconds positive, got {chunk} and {seconds}.");
            return 2;
        }

        IWakeWordScorer scorer = OnnxModelLoader.Load(model);
        using var pipeline = new WakeWordPipeline([new PipelineModel(scorer, [new DetectorSettings(scorer.Info.RecommendedThreshold, 1, scorer.Info.RecommendedRefractorySeconds)])]);
        int events = 0;
        using IDisposable subscription = pipeline.Events.Subscribe(_ => events++);
        (float[] loop, string description) = BenchAudio.Loop();
        loop = loop[..(loop.Length / chunk * chunk)];

        // Warm-up (JIT, ONNX Runtime's first runs) on 10 s, then start from a clean stream.
        for (int start = 0; start + chunk <= Math.Min(loop.Length, 10 * BenchAudio.SampleRate); start += chunk)
        {
            pipeline.Process(loop.AsSpan(start, chunk));
        }

        pipeline.Reset();
        events = 0;

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
        CultureInfo inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"model:              {Path.GetRelativePath(BenchAudio.RepoRoot, model)} ({scorer.Info.Word}, {scorer.Info.FramesPerStep} frames per step)");
        Console.WriteLine($"audio:              {description}, {chunk} samples per Process call");
        Console.WriteLine(string.Format(inv, "audio seconds:      {0:F0}", audio));
        Console.WriteLine(string.Format(inv, "wall seconds:       {0:F2}", wall));
        Console.WriteLine(string.Format(inv, "real-time factor:   {0:F5} (wall / audio; {1:F0}x faster than real time)", wall / audio, audio / wall));
        Console.WriteLine(string.Format(inv, "CPU share of a core: {0:F3}% (process CPU {1:F2} s / audio {2:F0} s)", 100 * cpu / audio, cpu, audio));
        Console.WriteLine(string.Format(inv, "peak working set:   {0:F1} MB", process.PeakWorkingSet64 / 1048576.0));
        Console.WriteLine(string.Format(inv, "allocated:          {0} bytes on the processing thread, {1} gen0 GCs", allocated, GC.CollectionCount(0) - gcBefore));
        Console.WriteLine($"events:             {events}");
        Console.WriteLine($"target (issue 3):   an hour in under 4 s of CPU (0.1% of one core): {(cpu < 4 && audio >= 3600 ? "met" : audio >= 3600 ? "NOT met" : "n/a, run with the default hour")}");
        return 0;
    }
}
