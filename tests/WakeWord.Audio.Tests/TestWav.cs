using NAudio.Wave;

namespace WakeWord.Audio.Tests;

/// <summary>Writes real WAV files with NAudio's WaveFileWriter into a per-test temporary folder.</summary>
internal sealed class TestWav : IDisposable
{
    public TestWav()
    {
        Folder = Path.Combine(Path.GetTempPath(), "wakeword-audio-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public static float[] Sine(int sampleRate, double frequency, double seconds, float amplitude = 0.5f)
    {
        float[] samples = new float[(int)(sampleRate * seconds)];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = amplitude * (float)Math.Sin(2 * Math.PI * frequency * i / sampleRate);
        }

        return samples;
    }

    /// <summary>Writes interleaved samples (one array per channel) in the given format.</summary>
    public string Write(string name, WaveFormat format, params float[][] channels)
    {
        string path = Path.Combine(Folder, name);
        using var writer = new WaveFileWriter(path, format);
        int frames = channels[0].Length;
        for (int i = 0; i < frames; i++)
        {
            foreach (float[] channel in channels)
            {
                if (format.BitsPerSample == 8)
                {
                    // WaveFileWriter.WriteSample has no 8-bit case; 8-bit PCM is unsigned around 128.
                    writer.WriteByte((byte)Math.Clamp(128 + (int)Math.Round(channel[i] * 127), 0, 255));
                }
                else
                {
                    writer.WriteSample(channel[i]);
                }
            }
        }

        return path;
    }

    public string WriteBytes(string name, byte[] bytes)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
