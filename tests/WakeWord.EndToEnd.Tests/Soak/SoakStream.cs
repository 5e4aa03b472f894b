using WakeWord.EndToEnd.Tests.Infrastructure;

namespace WakeWord.EndToEnd.Tests.Soak;

/// <summary>
/// Hours of audio with known keywords, made on the fly from the committed recordings (so a clone without ../shared can
/// run it): stretches of real speech over room noise (negatives_long.wav from a seeded offset, 40-70 s, -6 to +3 dB),
/// each followed by one of three real "computer" speakers (-6 to 0 dB). The seed fixes the whole stream.
/// </summary>
public sealed class SoakStream
{
    public const int SampleRate = 16000;

    /// <summary>A keyword recording lasts 4 s (1 s of silence each side); an event for it fires inside it or just after.</summary>
    public const double KeywordWindowS = 4.5;

    private readonly short[] _negatives = Samples("negatives_long.wav");
    private readonly short[][] _keywords = [Samples("computer_real_1.wav"), Samples("computer_real_2.wav"), Samples("computer_real_3.wav")];
    private readonly Random _random;
    private readonly long _totalSamples;
    private long _written;

    public SoakStream(double hours, int seed)
    {
        _random = new Random(seed);
        _totalSamples = (long)(hours * 3600 * SampleRate);
    }

    /// <summary>Where each keyword recording starts, in seconds from the start of the stream.</summary>
    public List<double> KeywordStartsS { get; } = [];

    /// <summary>Seconds of audio handed out so far (read from any thread).</summary>
    public double WrittenS => Interlocked.Read(ref _written) / (double)SampleRate;

    /// <summary>The next piece of PCM (16-bit little-endian), or null at the end: a stretch of speech and then a keyword,
    /// and after the last keyword a final 5 s of speech so that its event is not held back with the last chunk.</summary>
    public byte[]? Next()
    {
        if (_written >= _totalSamples + 5 * SampleRate)
        {
            return null;
        }

        bool last = _written >= _totalSamples;
        int speech = last ? 5 * SampleRate : (int)(SampleRate * (40 + 30 * _random.NextDouble()));
        int offset = _random.Next(_negatives.Length);
        double speechGain = Db(-6 + 9 * _random.NextDouble());
        short[] keyword = _keywords[_random.Next(_keywords.Length)];
        double keywordGain = Db(-6 * _random.NextDouble());
        int samples = speech + (last ? 0 : keyword.Length);
        byte[] pcm = new byte[samples * 2];
        for (int i = 0; i < speech; i++)
        {
            Put(pcm, i, _negatives[(offset + i) % _negatives.Length] * speechGain);
        }

        if (!last)
        {
            KeywordStartsS.Add((_written + speech) / (double)SampleRate);
            for (int i = 0; i < keyword.Length; i++)
            {
                Put(pcm, speech + i, keyword[i] * keywordGain);
            }
        }

        Interlocked.Add(ref _written, samples);
        return pcm;
    }

    /// <summary>The keyword whose window holds an event fired at <paramref name="offsetS"/>, or -1 for a false accept.</summary>
    public int KeywordAt(double offsetS)
    {
        int i = KeywordStartsS.BinarySearch(offsetS);
        i = i >= 0 ? i : ~i - 1;
        return i >= 0 && offsetS <= KeywordStartsS[i] + KeywordWindowS ? i : -1;
    }

    private static double Db(double db) => Math.Pow(10, db / 20);

    private static void Put(byte[] pcm, int index, double value)
    {
        short s = (short)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue);
        pcm[2 * index] = (byte)s;
        pcm[(2 * index) + 1] = (byte)(s >> 8);
    }

    private static short[] Samples(string name)
    {
        byte[] pcm = WavData.PcmBytes(RepoPaths.Audio(name));
        short[] samples = new short[pcm.Length / 2];
        Buffer.BlockCopy(pcm, 0, samples, 0, samples.Length * 2);
        return samples;
    }
}
