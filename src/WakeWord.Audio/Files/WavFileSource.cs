using NAudio.Wave;
using WakeWord.Audio.Conversion;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Files;

/// <summary>
/// A WAV file of any rate and channel count (PCM 8/16/24/32-bit or IEEE float), read as mono at
/// <see cref="SampleRate"/>: channels averaged, then resampled with NAudio's managed WDL resampler.
/// Every problem with the file is an <see cref="AudioSourceException"/> that names the file and the problem.
/// </summary>
public sealed class WavFileSource : IAudioSource
{
    public const int DefaultSampleRate = 16000;

    private readonly WaveFileReader _reader;
    private readonly SampleProviderReader _samples;
    private readonly string _path;

    /// <param name="path">The WAV file.</param>
    /// <param name="sampleRate">The rate <see cref="Read"/> delivers (the models' rate).</param>
    public WavFileSource(string path, int sampleRate = DefaultSampleRate)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        _path = path;
        SampleRate = sampleRate;
        _reader = Open(path);
        try
        {
            WaveFormat format = _reader.WaveFormat;
            SourceFormat = $"{format.SampleRate} Hz, {format.Channels} ch, {format.BitsPerSample}-bit {format.Encoding}";
            if (format.Channels < 1 || format.SampleRate < 1)
            {
                throw new AudioSourceException($"{path}: invalid WAV format ({SourceFormat})");
            }

            // NAudio reads whole blocks of BlockAlign bytes and throws ArgumentException mid-stream when a read size is
            // not a multiple of it: a header whose block align is not channels x bytes per sample is corrupt (found by
            // WavFileSourcePropertyTests, seed 1N2QsxryJAp1: block align 46 for 16-bit mono).
            int expectedAlign = format.Channels * ((format.BitsPerSample + 7) / 8);
            if (format.Encoding is WaveFormatEncoding.Pcm or WaveFormatEncoding.IeeeFloat or WaveFormatEncoding.Extensible
                && format.BlockAlign != expectedAlign)
            {
                throw new AudioSourceException(
                    $"{path}: invalid WAV header: block align {format.BlockAlign} does not match {format.Channels} channel(s) of {format.BitsPerSample}-bit samples ({expectedAlign})");
            }

            ISampleProvider decoded;
            try
            {
                decoded = _reader.ToSampleProvider();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // NAudio: ArgumentException for an unknown encoding, InvalidOperationException for a bit depth it
                // does not decode (found by WavFileSourcePropertyTests).
                throw new AudioSourceException(
                    $"{path}: unsupported WAV encoding ({SourceFormat}); expected PCM (8, 16, 24 or 32-bit) or IEEE float");
            }

            CheckDeclaredLength(path);
            Duration = _reader.TotalTime;
            _samples = SampleChain.ToMono(new EndTrackingSampleProvider(decoded), sampleRate);
        }
        catch
        {
            _reader.Dispose();
            throw;
        }
    }

    public int SampleRate { get; }

    public string Description => $"file:{_path}";

    /// <summary>The file's own format, for logs ("44100 Hz, 2 ch, 16-bit Pcm").</summary>
    public string SourceFormat { get; }

    /// <summary>Length of the audio as the header declares it.</summary>
    public TimeSpan Duration { get; }

    public int Read(Span<float> destination, CancellationToken cancellationToken)
    {
        try
        {
            return _samples.Read(destination, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or FormatException or InvalidDataException)
        {
            throw new AudioSourceException($"{_path}: cannot read audio data ({ex.Message})", ex);
        }
    }

    public void Dispose() => _reader.Dispose();

    private static WaveFileReader Open(string path)
    {
        if (Directory.Exists(path))
        {
            throw new AudioSourceException($"{path}: is a directory, not a WAV file");
        }

        if (!File.Exists(path))
        {
            throw new AudioSourceException($"{path}: file not found");
        }

        try
        {
            return new WaveFileReader(path);
        }
        catch (EndOfStreamException ex)
        {
            throw new AudioSourceException($"{path}: not a valid WAV file (the file ends inside its header)", ex);
        }
        catch (FormatException ex)
        {
            throw new AudioSourceException($"{path}: not a valid WAV file ({ex.Message.TrimEnd('.')})", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new AudioSourceException($"{path}: permission denied", ex);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException)
        {
            throw new AudioSourceException($"{path}: cannot open WAV file ({ex.Message.TrimEnd('.')})", ex);
        }
    }

    // NAudio trims a data chunk that runs past the end of the file, so a cut file (interrupted copy or recording) would
    // play as a shorter one. The RIFF header states the whole file's length; 0 and 0xFFFFFFFF mean a writer that
    // streamed and never came back to fill it in, which is not an error.
    private static void CheckDeclaredLength(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Span<byte> header = stackalloc byte[8];
        file.ReadExactly(header);
        if (!header[..4].SequenceEqual("RIFF"u8))
        {
            return;
        }

        uint riffSize = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        long declared = riffSize + 8L;
        if (riffSize != 0 && riffSize != uint.MaxValue && declared > file.Length)
        {
            throw new AudioSourceException(
                $"{path}: truncated WAV file: its header declares {declared} bytes but the file has {file.Length}");
        }
    }
}
