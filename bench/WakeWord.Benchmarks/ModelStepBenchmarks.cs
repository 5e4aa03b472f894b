using BenchmarkDotNet.Attributes;
using WakeWord.Onnx;

namespace WakeWord.Benchmarks;

/// <summary>The streaming model: one output step (frames_per_step frames, 30 ms of audio), and steps batched per call.</summary>
[MemoryDiagnoser]
public class ModelStepBenchmarks
{
    private StreamingGruModel _model = null!;
    private float[] _frames = null!;
    private float[] _probabilities = null!;

    /// <summary>Output steps per ONNX Runtime call: 1 is the latency-bound live case, more amortise the call.</summary>
    [Params(1, 4, 64)]
    public int StepsPerCall { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = OnnxModelLoader.LoadStreaming(BenchAudio.ModelPath);
        int floats = StepsPerCall * _model.Shape.FramesPerStep * _model.Shape.MelBins;
        var random = new Random(5);
        _frames = new float[floats];
        for (int i = 0; i < floats; i++)
        {
            _frames[i] = (float)(random.NextDouble() * 8 - 12); // log-mel range of quiet speech and noise
        }

        _probabilities = new float[StepsPerCall];
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark(Description = "model, per output step")]
    public float PerStep()
    {
        // OperationsPerInvoke cannot follow a [Params] value, so report per call and divide in docs/benchmarks.md for k > 1.
        _model.Score(_frames, _probabilities);
        return _probabilities[0];
    }
}
