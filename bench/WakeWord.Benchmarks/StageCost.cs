using System.Diagnostics;
using System.Globalization;
using WakeWord.Core.FrontEnds;
using WakeWord.Core.Scoring;
using WakeWord.Onnx;

namespace WakeWord.Benchmarks;

/// <summary>
/// `--stages`: where a model's CPU goes, front end against head, timed chunk by chunk in one pass (each stage between
/// two timestamps, the stages interleaved every 80 ms), so that a slow spell of a shared machine slows both alike and
/// their ratio stays. Prints each model's front-end and head seconds per audio hour and what N models on one front end
/// cost against one: (front end + N heads) / (front end + 1 head). `--rtf --copies` measures the same thing end to end,
/// where one pass against another can differ by 30% on a virtual machine.
/// </summary>
internal static class StageCost
{
    public static int Run(string[] args)
    {
        var o = TimedRunOptions.Parse(args, "--stages", "[--seconds S] [--model PATH]... [--copies N]", defaultCopies: 3);
        if (o is null)
        {
            return 2;
        }

        (double seconds, int copies, List<string> models) = (o.Seconds, o.Copies, o.Models);
        const int Chunk = 1280;
        (float[] loop, string description) = BenchAudio.Loop();
        loop = loop[..(loop.Length / Chunk * Chunk)];
        CultureInfo inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"audio: {description}, {Chunk} samples per step, {seconds:F0} s per model; wall seconds per audio hour by stage");
        Console.WriteLine($"| model | front end | head | one model | {copies} models on one front end | ratio |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (string path in models)
        {
            (double frontEnd, double head) = Measure(path, loop, Chunk, seconds);
            double one = frontEnd + head, many = frontEnd + (copies * head);
            Console.WriteLine(string.Format(inv, "| {0} | {1:F2} | {2:F2} | {3:F2} | {4:F2} | {5:F2} x |",
                Path.GetFileName(path), frontEnd, head, one, many, many / one));
        }

        return 0;
    }

    private static (double FrontEnd, double Head) Measure(string path, float[] loop, int chunk, double seconds)
    {
        using IWakeWordModel model = OnnxModelLoader.Load(path);
        using IFrontEndStream frontEnd = model.FrontEnd.CreateStream();
        using IWakeWordScorer scorer = model.CreateScorer();
        float[] rows = new float[frontEnd.RowsFor(chunk) * 2 * frontEnd.Spec.Width];
        float[] probabilities = new float[64];

        // Warm-up (JIT, ONNX Runtime's first runs) on 10 s, then from a clean stream.
        for (int start = 0; start + chunk <= Math.Min(loop.Length, 10 * BenchAudio.SampleRate); start += chunk)
        {
            int n = frontEnd.Process(loop.AsSpan(start, chunk), rows);
            scorer.Score(rows.AsSpan(0, n * frontEnd.Spec.Width), probabilities);
        }

        frontEnd.Reset();
        scorer.Reset();
        long frontEndTicks = 0, headTicks = 0;
        long target = (long)(seconds * BenchAudio.SampleRate), done = 0;
        while (done < target)
        {
            for (int start = 0; start < loop.Length && done < target; start += chunk)
            {
                long t0 = Stopwatch.GetTimestamp();
                int n = frontEnd.Process(loop.AsSpan(start, chunk), rows);
                long t1 = Stopwatch.GetTimestamp();
                scorer.Score(rows.AsSpan(0, n * frontEnd.Spec.Width), probabilities);
                long t2 = Stopwatch.GetTimestamp();
                frontEndTicks += t1 - t0;
                headTicks += t2 - t1;
                done += chunk;
            }
        }

        double perHour = 3600.0 / ((double)done / BenchAudio.SampleRate) / Stopwatch.Frequency;
        return (frontEndTicks * perHour, headTicks * perHour);
    }
}
