using WakeWord.Core.FrontEnds.LogMel;

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

    private readonly LogMelFeaturizer _featurizer;
    private readonly List<float[]> _columns = [];
    private float[] _frames = [];
    private float[]? _partial;
    private int _inPartial;

    public SpectrogramCollector(FeatureSpec spec)
    {
        _featurizer = new LogMelFeaturizer(spec);
        Spec = spec;
    }

    public FeatureSpec Spec { get; }

    /// <summary>Frames pooled into one column (1, 2, 4, ...).</summary>
    public int FramesPerColumn { get; private set; } = 1;

    /// <summary>Columns in time order, each <see cref="FeatureSpec.MelBins"/> log-mel values.</summary>
    public IReadOnlyList<float[]> Columns => _columns;

    public void Add(ReadOnlySpan<float> samples)
    {
        int bins = Spec.MelBins;
        int count = _featurizer.FramesFor(samples.Length);
        if (_frames.Length < count * bins)
        {
            _frames = new float[count * bins];
        }

        int written = _featurizer.Process(samples, _frames);
        for (int f = 0; f < written; f++)
        {
            ReadOnlySpan<float> frame = _frames.AsSpan(f * bins, bins);
            _partial ??= [.. frame];
            if (_inPartial > 0)
            {
                MaxInto(_partial, frame);
            }

            if (++_inPartial == FramesPerColumn)
            {
                _columns.Add(_partial);
                _partial = null;
                _inPartial = 0;
                if (_columns.Count == MaxColumns)
                {
                    Halve();
                }
            }
        }
    }

    private void Halve()
    {
        for (int i = 0; i < _columns.Count / 2; i++)
        {
            float[] merged = _columns[2 * i];
            MaxInto(merged, _columns[2 * i + 1]);
            _columns[i] = merged;
        }

        _columns.RemoveRange(_columns.Count / 2, _columns.Count - _columns.Count / 2);
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
