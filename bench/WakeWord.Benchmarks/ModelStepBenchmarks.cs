using BenchmarkDotNet.Attributes;
using WakeWord.Core.Scoring;
using WakeWord.Onnx;
using WakeWord.Onnx.LogMel;

namespace WakeWord.Benchmarks;

/// <summary>The streaming model: one output step (frames_per_step frames, 30 ms of audio), and steps batched per call.</summary>
[MemoryDiagnoser]
public class ModelStepBenchmarks
{
    private IWakeWordModel _loaded = null!;
    private LogMelGruScorer _model = null!;
    private float[] _frames = null!;
    private float[] _probabilities = null!;

    /// <summary>Output steps per ONNX Runtime call: 1 is the latency-bound live case, more amortise the call.</summary>
    [Params(1, 4, 64)]
    public int StepsPerCall { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _loaded = OnnxModelLoader.Load(BenchAudio.ModelPath);
        _model = (LogMelGruScorer)_loaded.CreateScorer();
        int floats = StepsPerCall * _model.Info.RowsPerStep * _model.Info.FrontEnd.Width;
        var random = new Random(5);
        _frames = new float[floats];
        for (int i = 0; i < floats; i++)
        {
            _frames[i] = (float)(random.NextDouble() * 8 - 12); // log-mel range of quiet speech and noise
        }

        _probabilities = new float[StepsPerCall];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _loaded.Dispose();
    }

    [Benchmark(Description = "model, per output step")]
    public float PerStep()
    {
        // OperationsPerInvoke cannot follow a [Params] value, so report per call and divide in docs/speed.md for k > 1.
        _model.Score(_frames, _probabilities);
        return _probabilities[0];
    }
}
