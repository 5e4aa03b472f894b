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

    private readonly Stream _input;
    private readonly bool _ownsInput;
    private readonly RawPcm16SampleProvider _raw;
    private readonly SampleProviderReader _samples;

    /// <param name="input">The byte stream; null means the process's standard input.</param>
    /// <param name="inputSampleRate">Rate of the incoming PCM.</param>
    /// <param name="inputChannels">Interleaved channels of the incoming PCM.</param>
    /// <param name="sampleRate">The rate <see cref="Read"/> delivers (the models' rate).</param>
    /// <param name="name">How messages and logs name the input.</param>
    /// <param name="wavAdvice">What the refusal of a WAV file on the input advises instead, in the caller's terms.</param>
    public StdinPcmSource(
        Stream? input = null,
        int inputSampleRate = DefaultSampleRate,
        int inputChannels = 1,
        int sampleRate = DefaultSampleRate,
        string name = "stdin",
        string wavAdvice = "Read the WAV file as a file")
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
        _ownsInput = input is null;
        _input = input ?? Console.OpenStandardInput();
        Description = name;
        SampleRate = sampleRate;
        _raw = new RawPcm16SampleProvider(_input, name, inputSampleRate, inputChannels, wavAdvice);
        _samples = SampleChain.ToMono(new EndTrackingSampleProvider(_raw), sampleRate);
    }

    public int SampleRate { get; }

    public string Description { get; }

    /// <summary>The input format this source expects, as its error messages spell it.</summary>
    public string ExpectedFormat => _raw.Expected;

    public int Read(Span<float> destination, CancellationToken cancellationToken)
    {
        try
        {
            return _samples.Read(destination, cancellationToken);
        }
        catch (IOException ex)
        {
            throw new AudioSourceException($"{Description}: read failed ({ex.Message.TrimEnd('.')})", ex);
        }
    }

    public void Dispose()
    {
        if (_ownsInput)
        {
            _input.Dispose();
        }
    }
}
