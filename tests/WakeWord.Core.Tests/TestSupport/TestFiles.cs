using System.Text.Json;

namespace WakeWord.Tests.Support;

/// <summary>Finds the committed fixtures under tests/data and models/, and reads the small formats they come in.</summary>
internal static class TestFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "WakeWord.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No WakeWord.sln above {AppContext.BaseDirectory}: cannot find the test fixtures.");
    });

    public static string RepoRoot => Root.Value;

    public static string Path(params string[] parts) => System.IO.Path.Combine([RepoRoot, .. parts]);

    /// <summary>A fixture that must be in the repository; fails with the path when it is not.</summary>
    public static string Require(params string[] parts)
    {
        string path = Path(parts);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Test fixture missing: {path}", path);
        }

        return path;
    }

    /// <summary>Reads a 16-bit PCM mono WAV as floats (sample / 32768), as models/README.md defines the input.</summary>
    public static (int SampleRate, float[] Samples) ReadPcm16MonoWav(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 12 || System.Text.Encoding.ASCII.GetString(bytes, 0, 4) != "RIFF" || System.Text.Encoding.ASCII.GetString(bytes, 8, 4) != "WAVE")
        {
            throw new InvalidDataException($"{path} is not a RIFF/WAVE file.");
        }

        int sampleRate = 0, channels = 0, bits = 0, format = 0;
        int offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            string id = System.Text.Encoding.ASCII.GetString(bytes, offset, 4);
            int size = BitConverter.ToInt32(bytes, offset + 4);
            int body = offset + 8;
            if (id == "fmt ")
            {
                format = BitConverter.ToInt16(bytes, body);
                channels = BitConverter.ToInt16(bytes, body + 2);
                sampleRate = BitConverter.ToInt32(bytes, body + 4);
                bits = BitConverter.ToInt16(bytes, body + 14);
            }
            else if (id == "data")
            {
                if (format != 1 || channels != 1 || bits != 16)
                {
                    throw new InvalidDataException($"{path}: expected 16-bit PCM mono, got format {format}, {channels} channels, {bits} bits.");
                }

                int count = Math.Min(size, bytes.Length - body) / 2;
                float[] samples = new float[count];
                for (int i = 0; i < count; i++)
                {
                    samples[i] = BitConverter.ToInt16(bytes, body + 2 * i) / 32768f;
                }

                return (sampleRate, samples);
            }

            offset = body + size + (size & 1);
        }

        throw new InvalidDataException($"{path} has no data chunk.");
    }

    public static JsonElement ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    public static float[] FloatArray(JsonElement element)
    {
        float[] values = new float[element.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            values[i++] = item.GetSingle();
        }

        return values;
    }

    /// <summary>Deterministic noise-like test audio (a few tones plus pseudo-random noise), amplitude well inside [-1, 1].</summary>
    public static float[] SyntheticAudio(int count, int seed = 7)
    {
        var random = new Random(seed);
        float[] samples = new float[count];
        for (int i = 0; i < count; i++)
        {
            double t = i / 16000.0;
            samples[i] = (float)(0.2 * Math.Sin(2 * Math.PI * 440 * t) + 0.1 * Math.Sin(2 * Math.PI * 1830 * t) + 0.05 * (random.NextDouble() * 2 - 1));
        }

        return samples;
    }
}
