using BenchmarkDotNet.Attributes;
using WakeWord.Core.FrontEnds.LogMel;

namespace WakeWord.Benchmarks;

/// <summary>The log-mel featurizer in steady state: one 10 ms hop (160 samples) in, one frame out.</summary>
[MemoryDiagnoser]
public class FeaturizerBenchmarks
{
    private const int Hops = 100;
    private LogMelFeaturizer _featurizer = null!;
    private float[] _audio = null!;
    private readonly float[] _frame = new float[40];
    private readonly double[] _fftInput = new double[512];
    private readonly double[] _power = new double[257];
    private RealFft _fft = null!;

    [GlobalSetup]
    public void Setup()
    {
        _featurizer = new LogMelFeaturizer(FeatureSpec.Default);
        _audio = BenchAudio.Loop().Samples[..(Hops * 160 + 400)];
        _featurizer.Process(_audio.AsSpan(0, 240), _frame); // from here on every hop completes exactly one frame
        _fft = new RealFft(512);
        for (int i = 0; i < 400; i++)
        {
            _fftInput[i] = _audio[i];
        }
    }

    [Benchmark(Description = "featurizer, per 10 ms hop", OperationsPerInvoke = Hops)]
    public int PerHop()
    {
        int frames = 0;
        for (int h = 0; h < Hops; h++)
        {
            frames += _featurizer.Process(_audio.AsSpan(240 + h * 160, 160), _frame);
        }

        return frames;
    }

    [Benchmark(Description = "512-point real FFT power spectrum")]
    public double Fft()
    {
        _fft.PowerSpectrum(_fftInput, _power);
        return _power[10];
    }
}
