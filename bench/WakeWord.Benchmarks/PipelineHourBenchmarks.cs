using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using WakeWord.Core.Detection;
using WakeWord.Core.Pipeline;
using WakeWord.Core.Scoring;
using WakeWord.Onnx;

namespace WakeWord.Benchmarks;

/// <summary>The whole pipeline (featurizer, model, detector) over one hour of audio fed in 80 ms chunks, as a microphone would.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class PipelineHourBenchmarks
{
    private const int Chunk = 1280;
    private IWakeWordModel _model = null!;
    private WakeWordPipeline _pipeline = null!;
    private float[] _loop = null!;

    [GlobalSetup]
    public void Setup()
    {
        IWakeWordModel model = _model = OnnxModelLoader.Load(BenchAudio.ModelPath);
        _pipeline = new WakeWordPipeline([new PipelineModel(model, [new DetectorSettings(model.Info.RecommendedThreshold, 1, model.Info.RecommendedRefractorySeconds)])]);
        float[] samples = BenchAudio.Loop().Samples;
        _loop = samples[..(samples.Length / Chunk * Chunk)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pipeline.Dispose();
        _model.Dispose();
    }

    [Benchmark(Description = "pipeline, one hour of audio in 80 ms chunks")]
    public long OneHour()
    {
        _pipeline.Reset();
        long target = 3600L * BenchAudio.SampleRate;
        long done = 0;
        while (done < target)
        {
            for (int start = 0; start < _loop.Length && done < target; start += Chunk)
            {
                _pipeline.Process(_loop.AsSpan(start, Chunk));
                done += Chunk;
            }
        }

        return _pipeline.SamplesProcessed;
    }
}
