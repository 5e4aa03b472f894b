namespace WakeWord.Benchmarks;

/// <summary>The audio and model the benchmarks run on: committed fixtures, found from the repository root.</summary>
internal static class BenchAudio
{
    public const int SampleRate = 16000;

    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WakeWord.sln")))
                {
                    return dir.FullName;
                }
            }

            // BenchmarkDotNet runs a generated copy of this project; fall back to the working directory.
            for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WakeWord.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Run the benchmarks from inside the repository (no WakeWord.sln found above the binary or the working directory).");
        }
    }

    /// <summary>models/computer.onnx when it exists (the shipped model), else tests/data/models/tiny.onnx (same contract, smaller GRU).</summary>
    public static string ModelPath
    {
        get
        {
            string shipped = Path.Combine(RepoRoot, "models", "computer.onnx");
            return File.Exists(shipped) ? shipped : Path.Combine(RepoRoot, "tests", "data", "models", "tiny.onnx");
        }
    }

    /// <summary>
    /// 60 s of real speech and noise without the wake word (tests/data/audio/negatives_long.wav), to be looped; synthesized
    /// noise when the file is missing. The detection path costs the same whatever the audio, except events, which are rare.
    /// </summary>
    public static (float[] Samples, string Description) Loop()
    {
        string path = Path.Combine(RepoRoot, "tests", "data", "audio", "negatives_long.wav");
        if (File.Exists(path))
        {
            return (ReadPcm16Mono(path), "tests/data/audio/negatives_long.wav looped");
        }

        var random = new Random(1);
        float[] noise = new float[60 * SampleRate];
        for (int i = 0; i < noise.Length; i++)
        {
            noise[i] = (float)(random.NextDouble() * 0.2 - 0.1);
        }

        return (noise, "uniform noise (negatives_long.wav not found)");
    }

    private static float[] ReadPcm16Mono(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            string id = System.Text.Encoding.ASCII.GetString(bytes, offset, 4);
            int size = BitConverter.ToInt32(bytes, offset + 4);
            if (id == "data")
            {
                int count = Math.Min(size, bytes.Length - offset - 8) / 2;
                float[] samples = new float[count];
                for (int i = 0; i < count; i++)
                {
                    samples[i] = BitConverter.ToInt16(bytes, offset + 8 + 2 * i) / 32768f;
                }

                return samples;
            }

            offset += 8 + size + (size & 1);
        }

        throw new InvalidDataException($"{path} has no data chunk.");
    }
}
