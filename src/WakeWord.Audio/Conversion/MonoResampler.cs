using NAudio.Dsp;

namespace WakeWord.Audio.Conversion;

/// <summary>
/// The one resampler set-up: NAudio's managed WDL resampler with the parameters of NAudio's WdlResamplingSampleProvider
/// (linear interpolation, two IIR low-pass stages), on mono. Files pull from it (output-driven: ask for output, it says
/// how much input it needs); capture devices push into it (input-driven: hand over what the device gave).
/// </summary>
internal sealed class MonoResampler
{
    private readonly WdlResampler _resampler = new();

    public MonoResampler(int inputRate, int outputRate, bool inputDriven)
    {
        _resampler.SetMode(interp: true, filtercnt: 2, sinc: false);
        _resampler.SetFilterParms();
        _resampler.SetFeedMode(inputDriven);
        _resampler.SetRates(inputRate, outputRate);
    }

    /// <summary>Input-driven: resamples <paramref name="input"/> into <paramref name="output"/>; returns samples written.</summary>
    public int Push(ReadOnlySpan<float> input, Span<float> output)
    {
        int needed = _resampler.ResamplePrepare(input.Length, 1, out Span<float> inBuffer);
        int taken = Math.Min(needed, input.Length);
        input[..taken].CopyTo(inBuffer);
        return _resampler.ResampleOut(output, taken, output.Length, 1);
    }

    /// <summary>Output-driven: fills <paramref name="output"/> with what <paramref name="source"/> gives; returns samples written.</summary>
    public int Pull(Span<float> output, NAudio.Wave.ISampleProvider source)
    {
        int needed = _resampler.ResamplePrepare(output.Length, 1, out Span<float> inBuffer);
        int available = source.Read(inBuffer[..needed]);
        return _resampler.ResampleOut(output, available, output.Length, 1);
    }

    /// <summary>Forgets the input history (a new stream begins).</summary>
    public void Reset() => _resampler.Reset();
}
