using WakeWord.Audio.Conversion;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Stdin;

/// <summary>
/// Raw 16-bit little-endian PCM from standard input (or any stream), so that
/// <c>arecord -f S16_LE -r 16000 -c 1 -t raw | wakeword detect -</c> works. Input at another rate or with several
/// channels is accepted when declared, and converted to mono at <see cref="SampleRate"/>.
/// </summary>
public sealed class StdinPcmSource : IAudioSource
{
    public const int DefaultSampleRate = 16000;

    private readonly Stream input;
    private readonly bool ownsInput;
    private readonly RawPcm16SampleProvider raw;
    private readonly SampleProviderReader samples;

    /// <param name="input">The byte stream; null means the process's standard input.</param>
    /// <param name="inputSampleRate">Rate of the incoming PCM.</param>
    /// <param name="inputChannels">Interleaved channels of the incoming PCM.</param>
    /// <param name="sampleRate">The rate <see cref="Read"/> delivers (the models' rate).</param>
    /// <param name="name">How messages and logs name the input.</param>
    public StdinPcmSource(
        Stream? input = null,
        int inputSampleRate = DefaultSampleRate,
        int inputChannels = 1,
        int sampleRate = DefaultSampleRate,
        string name = "stdin")
    {
        if (inputSampleRate < 1000 || inputSampleRate > 384000)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSampleRate), inputSampleRate, "input sample rate must be between 1000 and 384000 Hz");
        }

        if (inputChannels < 1 || inputChannels > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(inputChannels), inputChannels, "input channels must be between 1 and 32");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ownsInput = input is null;
        this.input = input ?? Console.OpenStandardInput();
        Description = name;
        SampleRate = sampleRate;
        raw = new RawPcm16SampleProvider(this.input, name, inputSampleRate, inputChannels);
        samples = SampleChain.ToMono(new EndTrackingSampleProvider(raw), sampleRate);
    }

    public int SampleRate { get; }

    public string Description { get; }

    /// <summary>The input format this source expects, as its error messages spell it.</summary>
    public string ExpectedFormat => raw.Expected;

    public int Read(Span<float> destination, CancellationToken cancellationToken)
    {
        try
        {
            return samples.Read(destination, cancellationToken);
        }
        catch (IOException ex)
        {
            throw new AudioSourceException($"{Description}: read failed ({ex.Message.TrimEnd('.')})", ex);
        }
    }

    public void Dispose()
    {
        if (ownsInput)
        {
            input.Dispose();
        }
    }
}
