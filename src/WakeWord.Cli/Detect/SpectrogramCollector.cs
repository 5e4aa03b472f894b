using WakeWord.Core.Features;

namespace WakeWord.Cli.Detect;

/// <summary>
/// The log-mel frames the models were fed (the runtime's own featurizer over the same audio), kept for the plot. A
/// long input is pooled in time (the loudest of each pair of columns, again and again) so that memory stays bounded
/// and the picture, which has far fewer pixels than an hour has frames, loses nothing it could show.
/// </summary>
public sealed class SpectrogramCollector
{
    /// <summary>Columns kept at most (about 20 minutes at a 10 ms hop before any pooling).</summary>
    public const int MaxColumns = 120_000;

    private readonly LogMelFeaturizer featurizer;
    private readonly List<float[]> columns = [];
    private float[] frames = [];
    private float[]? partial;
    private int inPartial;

    public SpectrogramCollector(FeatureSpec spec)
    {
        featurizer = new LogMelFeaturizer(spec);
        Spec = spec;
    }

    public FeatureSpec Spec { get; }

    /// <summary>Frames pooled into one column (1, 2, 4, ...).</summary>
    public int FramesPerColumn { get; private set; } = 1;

    /// <summary>Columns in time order, each <see cref="FeatureSpec.MelBins"/> log-mel values.</summary>
    public IReadOnlyList<float[]> Columns => columns;

    public void Add(ReadOnlySpan<float> samples)
    {
        int bins = Spec.MelBins;
        int count = featurizer.FramesFor(samples.Length);
        if (frames.Length < count * bins)
        {
            frames = new float[count * bins];
        }

        int written = featurizer.Process(samples, frames);
        for (int f = 0; f < written; f++)
        {
            ReadOnlySpan<float> frame = frames.AsSpan(f * bins, bins);
            partial ??= [.. frame];
            if (inPartial > 0)
            {
                MaxInto(partial, frame);
            }

            if (++inPartial == FramesPerColumn)
            {
                columns.Add(partial);
                partial = null;
                inPartial = 0;
                if (columns.Count == MaxColumns)
                {
                    Halve();
                }
            }
        }
    }

    private void Halve()
    {
        for (int i = 0; i < columns.Count / 2; i++)
        {
            float[] merged = columns[2 * i];
            MaxInto(merged, columns[2 * i + 1]);
            columns[i] = merged;
        }

        columns.RemoveRange(columns.Count / 2, columns.Count - columns.Count / 2);
        FramesPerColumn *= 2;
    }

    private static void MaxInto(float[] into, ReadOnlySpan<float> other)
    {
        for (int b = 0; b < into.Length; b++)
        {
            into[b] = Math.Max(into[b], other[b]);
        }
    }
}
