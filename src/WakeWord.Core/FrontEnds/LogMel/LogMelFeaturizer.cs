using System.Numerics;

namespace WakeWord.Core.FrontEnds.LogMel;

/// <summary>
/// Streaming log-mel frames exactly as models/README.md defines them: frame i covers samples [i*hop, i*hop + window),
/// periodic Hann window, zero-padded real FFT (<see cref="RealFft"/>), power spectrum, HTK triangular mel filters (no area normalisation),
/// ln(energy + log_floor). A frame is produced as soon as its last sample arrives, so any split of a stream into calls
/// yields the same frames as one call. All buffers are made in the constructor; <see cref="Process"/> allocates nothing.
/// Not thread-safe.
/// </summary>
public sealed class LogMelFeaturizer : IFrontEndStream
{
    private readonly FeatureSpec _spec;
    private readonly double[] _window;         // the periodic Hann window, 'window' values
    private readonly float[] _pending;         // the last samples not yet covered by a complete frame, at most 'window'
    private readonly RealFft _fft;
    private readonly double[] _frame;          // the windowed, zero-padded frame, 'fft_size' values
    private readonly double[] _power;          // |X[k]|^2 for k = 0 .. fft_size/2
    private readonly int[] _filterStart;       // first FFT bin with a non-zero weight, per mel filter
    private readonly float[][] _filterWeights; // the non-zero weights from that bin on, per mel filter
    private int _pendingCount;

    public LogMelFeaturizer(FeatureSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Validate(spec);
        _spec = spec;
        _window = new double[spec.WindowSamples];
        for (int n = 0; n < _window.Length; n++)
        {
            _window[n] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / spec.WindowSamples);
        }

        _pending = new float[spec.WindowSamples];
        _fft = new RealFft(spec.FftSize);
        _frame = new double[spec.FftSize];
        _power = new double[spec.FftSize / 2 + 1];
        (_filterStart, _filterWeights) = BuildMelFilters(spec);
        Spec = LogMelFrontEnd.SpecOf(spec);
    }

    public FeatureSpec Features => _spec;

    public FrontEndSpec Spec { get; }

    /// <summary>Floats per frame (<see cref="FeatureSpec.MelBins"/>).</summary>
    public int MelBins => _spec.MelBins;

    /// <summary>How many complete frames the next <see cref="Process"/> call will write for <paramref name="sampleCount"/> new samples.</summary>
    public int RowsFor(int sampleCount) => FramesFor(sampleCount);

    public int FramesFor(int sampleCount)
    {
        long available = (long)_pendingCount + sampleCount;
        return available < _spec.WindowSamples ? 0 : (int)((available - _spec.WindowSamples) / _spec.HopSamples + 1);
    }

    /// <summary>
    /// Consumes <paramref name="samples"/> (any count) and writes every frame they complete into <paramref name="frames"/>,
    /// row-major, <see cref="MelBins"/> floats each. Returns the number of frames written. <paramref name="frames"/> must
    /// have room for <see cref="FramesFor"/>(samples.Length) frames.
    /// </summary>
    public int Process(ReadOnlySpan<float> samples, Span<float> frames)
    {
        int needed = FramesFor(samples.Length);
        if (frames.Length < needed * _spec.MelBins)
        {
            throw new ArgumentException($"The frame buffer holds {frames.Length} floats but {needed} frames of {_spec.MelBins} need {needed * _spec.MelBins}.", nameof(frames));
        }

        int window = _spec.WindowSamples;
        int hop = _spec.HopSamples;
        int written = 0;
        while (!samples.IsEmpty)
        {
            int take = Math.Min(window - _pendingCount, samples.Length);
            samples[..take].CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount += take;
            samples = samples[take..];
            if (_pendingCount < window)
            {
                break;
            }

            ComputeFrame(_pending, frames.Slice(written * _spec.MelBins, _spec.MelBins));
            written++;

            // Keep the overlap for the next frame (Check guarantees hop <= window).
            _pending.AsSpan(hop, window - hop).CopyTo(_pending);
            _pendingCount = window - hop;
        }

        return written;
    }

    /// <summary>Back to the start of a stream: buffered samples are dropped.</summary>
    public void Reset()
    {
        _pendingCount = 0;
        Array.Clear(_pending);
    }

    /// <summary>Nothing to release: the buffers are managed arrays.</summary>
    public void Dispose()
    {
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad value when <paramref name="spec"/> cannot be computed.</summary>
    public static void Validate(FeatureSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string? problem = Check(spec);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(spec));
        }
    }

    /// <summary>Returns a message naming the first unsupported value of <paramref name="spec"/>, or null when it is fine.</summary>
    public static string? Check(FeatureSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.SampleRate <= 0)
        {
            return $"sample_rate must be positive, got {spec.SampleRate}.";
        }

        if (spec.WindowSamples <= 0)
        {
            return $"window_samples must be positive, got {spec.WindowSamples}.";
        }

        if (spec.HopSamples <= 0 || spec.HopSamples > spec.WindowSamples)
        {
            return $"hop_samples must be in [1, window_samples = {spec.WindowSamples}], got {spec.HopSamples}.";
        }

        if (spec.FftSize < spec.WindowSamples || !BitOperations.IsPow2(spec.FftSize))
        {
            return $"fft_size must be a power of two at least window_samples = {spec.WindowSamples}, got {spec.FftSize}.";
        }

        if (spec.MelBins <= 0)
        {
            return $"mel_bins must be positive, got {spec.MelBins}.";
        }

        if (!(spec.FminHz >= 0 && spec.FminHz < spec.FmaxHz && spec.FmaxHz <= spec.SampleRate / 2f))
        {
            return $"fmin_hz/fmax_hz must satisfy 0 <= fmin < fmax <= sample_rate/2 = {spec.SampleRate / 2}, got {spec.FminHz}/{spec.FmaxHz}.";
        }

        if (!(spec.LogFloor > 0) || float.IsInfinity(spec.LogFloor))
        {
            return $"log_floor must be a positive number, got {spec.LogFloor}.";
        }

        return null;
    }

    private void ComputeFrame(ReadOnlySpan<float> samples, Span<float> frame)
    {
        // The zero padding at the end of _frame is never written, so it stays zero.
        for (int n = 0; n < _window.Length; n++)
        {
            _frame[n] = samples[n] * _window[n];
        }

        _fft.PowerSpectrum(_frame, _power);

        for (int m = 0; m < frame.Length; m++)
        {
            float[] weights = _filterWeights[m];
            int start = _filterStart[m];
            double energy = 0;
            for (int i = 0; i < weights.Length; i++)
            {
                energy += weights[i] * _power[start + i];
            }

            frame[m] = (float)Math.Log(energy + _spec.LogFloor);
        }
    }

    private static (int[] Start, float[][] Weights) BuildMelFilters(FeatureSpec spec)
    {
        static double HzToMel(double f) => 2595.0 * Math.Log10(1.0 + f / 700.0);
        static double MelToHz(double m) => 700.0 * (Math.Pow(10.0, m / 2595.0) - 1.0);

        int bins = spec.FftSize / 2 + 1;
        double melLo = HzToMel(spec.FminHz);
        double melHi = HzToMel(spec.FmaxHz);
        double[] edges = new double[spec.MelBins + 2];
        for (int i = 0; i < edges.Length; i++)
        {
            edges[i] = MelToHz(melLo + (melHi - melLo) * i / (spec.MelBins + 1));
        }

        int[] starts = new int[spec.MelBins];
        float[][] weights = new float[spec.MelBins][];
        Span<float> row = stackalloc float[bins];
        for (int m = 0; m < spec.MelBins; m++)
        {
            double lo = edges[m], c = edges[m + 1], hi = edges[m + 2];
            int first = -1, last = -1;
            for (int k = 0; k < bins; k++)
            {
                double f = (double)k * spec.SampleRate / spec.FftSize;
                double w = Math.Max(0.0, Math.Min((f - lo) / (c - lo), (hi - f) / (hi - c)));
                row[k] = (float)w;
                if (w > 0)
                {
                    if (first < 0)
                    {
                        first = k;
                    }

                    last = k;
                }
            }

            // A filter narrower than one FFT bin has no weight at all: it stays empty and its output is ln(log_floor).
            starts[m] = first < 0 ? 0 : first;
            weights[m] = first < 0 ? [] : row[first..(last + 1)].ToArray();
        }

        return (starts, weights);
    }
}
