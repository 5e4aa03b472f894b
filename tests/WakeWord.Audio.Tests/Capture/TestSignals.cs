namespace WakeWord.Audio.Tests.Capture;

/// <summary>Signals to play through the sound server and the checks that find them again in what was captured.</summary>
internal static class TestSignals
{
    public const int Rate = 16000;

    /// <summary>A linear chirp: it correlates with itself at one lag only, so finding it proves the content arrived, not just energy.</summary>
    public static float[] Chirp(double seconds, double f0, double f1, float amplitude)
    {
        int n = (int)(seconds * Rate);
        float[] x = new float[n];
        double k = (f1 - f0) / seconds;
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / Rate;
            x[i] = amplitude * (float)Math.Sin(2 * Math.PI * ((f0 * t) + (0.5 * k * t * t)));
        }

        // 5 ms fades, so the edges do not click.
        int fade = Rate / 200;
        for (int i = 0; i < fade; i++)
        {
            float g = (float)i / fade;
            x[i] *= g;
            x[n - 1 - i] *= g;
        }

        return x;
    }

    /// <summary>Silence, then the signal, then silence.</summary>
    public static float[] Padded(float[] signal, double leadSeconds, double tailSeconds)
    {
        float[] x = new float[(int)(leadSeconds * Rate) + signal.Length + (int)(tailSeconds * Rate)];
        signal.CopyTo(x, (int)(leadSeconds * Rate));
        return x;
    }

    /// <summary>First sample of the first 10 ms window whose RMS passes <paramref name="threshold"/>, or -1.</summary>
    public static int Onset(ReadOnlySpan<float> x, double threshold)
    {
        const int Window = Rate / 100;
        for (int i = 0; i + Window <= x.Length; i += Window)
        {
            if (SignalMath.Rms(x.Slice(i, Window)) > threshold)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Where <paramref name="reference"/> sits in <paramref name="captured"/> and how well it matches there: the lag of the
    /// best normalised cross-correlation, searched within <paramref name="searchRadius"/> of <paramref name="around"/>.
    /// </summary>
    public static (int Lag, double Correlation) FindSignal(float[] captured, float[] reference, int around, int searchRadius)
    {
        double refEnergy = 0;
        foreach (float r in reference)
        {
            refEnergy += r * r;
        }

        int best = -1;
        double bestCorr = double.NegativeInfinity;
        int from = Math.Max(0, around - searchRadius);
        int to = Math.Min(captured.Length - reference.Length, around + searchRadius);
        for (int lag = from; lag <= to; lag++)
        {
            double dot = 0, energy = 0;
            for (int i = 0; i < reference.Length; i++)
            {
                float c = captured[lag + i];
                dot += c * reference[i];
                energy += c * c;
            }

            double corr = dot / Math.Sqrt((energy * refEnergy) + 1e-12);
            if (corr > bestCorr)
            {
                bestCorr = corr;
                best = lag;
            }
        }

        return (best, bestCorr);
    }
}
