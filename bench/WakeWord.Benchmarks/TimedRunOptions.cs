using System.Globalization;

namespace WakeWord.Benchmarks;

/// <summary>The options of the timed runs (`--rtf`, `--stages`): parsed and checked once, with one line on a bad one.</summary>
internal sealed class TimedRunOptions
{
    public double Seconds { get; private set; } = 3600;

    public int Chunk { get; private set; } = 1280;

    public int Copies { get; private set; } = 1;

    public int Repeat { get; private set; } = 1;

    public bool Together { get; private set; }

    public List<string> Models { get; } = [];

    /// <summary>
    /// Null (after printing why, with <paramref name="usage"/>) when an argument is unknown or out of range. An option
    /// named in <paramref name="usage"/> is accepted; the usage line is the one list of what a mode takes.
    /// </summary>
    public static TimedRunOptions? Parse(string[] args, string mode, string usage, int defaultCopies = 1)
    {
        var o = new TimedRunOptions { Copies = defaultCopies };
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            bool hasValue = i + 1 < args.Length;
            if (a == mode)
            {
                continue;
            }

            if (a == "--model" && hasValue)
            {
                o.Models.Add(args[++i]);
            }
            else if (a == "--seconds" && hasValue)
            {
                o.Seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else if (a is "--chunk" or "--copies" or "--repeat" && hasValue && usage.Contains(a, StringComparison.Ordinal))
            {
                int value = int.Parse(args[++i], CultureInfo.InvariantCulture);
                switch (a)
                {
                    case "--chunk":
                        o.Chunk = value;
                        break;
                    case "--copies":
                        o.Copies = value;
                        break;
                    default:
                        o.Repeat = value;
                        break;
                }
            }
            else if (a == "--together" && usage.Contains(a, StringComparison.Ordinal))
            {
                o.Together = true;
            }
            else
            {
                Console.Error.WriteLine($"Unknown argument '{a}'. Usage: {mode} {usage}");
                return null;
            }
        }

        if (o.Chunk < 1 || o.Seconds <= 0 || o.Copies < 1 || o.Repeat < 1)
        {
            Console.Error.WriteLine($"--chunk, --copies and --repeat must be at least 1 and --seconds positive, got {o.Chunk}, {o.Copies}, {o.Repeat} and {o.Seconds}.");
            return null;
        }

        if (o.Models.Count == 0)
        {
            o.Models.Add(BenchAudio.ModelPath);
        }

        return o;
    }
}
