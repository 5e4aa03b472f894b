namespace WakeWord.Audio.Tests;

internal static class SignalMath
{
    public static double Rms(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (float s in samples)
        {
            sum += s * s;
        }

        return Math.Sqrt(sum / Math.Max(1, samples.Length));
    }

    /// <summary>Power of one frequency (Goertzel), normalised so a full-scale sine gives about 0.25.</summary>
    public static double PowerAt(ReadOnlySpan<float> samples, int sampleRate, double frequency)
    {
        double coeff = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0, s2 = 0;
        foreach (float x in samples)
        {
            double s0 = x + (coeff * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        double power = (s1 * s1) + (s2 * s2) - (coeff * s1 * s2);
        return power / ((double)samples.Length * samples.Length);
    }

    public static float[] ReadAll(Core.Audio.IAudioSource source, int chunk = 4096)
    {
        var all = new List<float>();
        float[] buffer = new float[chunk];
        int read;
        while ((read = source.Read(buffer, CancellationToken.None)) > 0)
        {
            all.AddRange(buffer.AsSpan(0, read));
        }

        return [.. all];
    }
}
