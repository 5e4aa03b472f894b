using WakeWord.Audio.Files;
using WakeWord.Core.Detection;
using WakeWord.Core.Pipeline;
using WakeWord.Core.Scoring;

namespace WakeWord.Cli.Tune;

/// <summary>
/// One model over a set of recordings with a detector per threshold of a fine grid, in one pass per file: the same
/// pipeline, detectors and step timing as `wakeword detect` and the service, each file from a fresh state. Files may
/// run on several threads at once: each run makes its own pipeline (stream state) on the one loaded model.
/// </summary>
public sealed class ThresholdSweep
{
    private const int ChunkSamples = 1600;

    private readonly IWakeWordModel _model;
    private readonly DetectorSettings[] _detectors;
    private readonly Dictionary<float, int> _index = [];
    private readonly int _sampleRate;

    /// <summary>0.01 to 0.99 by 0.01, then 0.991 to 0.999 by 0.001: the top is where quiet rooms are decided.</summary>
    public static readonly float[] Grid =
        [.. Enumerable.Range(1, 99).Select(i => i / 100f), .. Enumerable.Range(991, 9).Select(i => i / 1000f)];

    public ThresholdSweep(IWakeWordModel model, int consecutiveSteps, double refractorySeconds)
    {
        _model = model;
        Info = model.Info;
        _sampleRate = model.Info.SampleRate;
        _detectors = [.. Grid.Select(t => new DetectorSettings(t, consecutiveSteps, refractorySeconds))];
        for (int i = 0; i < Grid.Length; i++)
        {
            _index[Grid[i]] = i;
        }
    }

    public ModelInfo Info { get; }

    /// <summary>Per threshold of <see cref="Grid"/>, the events in the file, and the file's length in seconds.</summary>
    /// <param name="tailSeconds">Silence fed after the file, so a word at its very end still completes its held steps.</param>
    public (int[] Events, double Seconds) Run(string wavPath, double tailSeconds, CancellationToken cancellationToken)
    {
        int[] events = new int[Grid.Length];
        using var pipeline = new WakeWordPipeline([new PipelineModel(_model, _detectors)]);
        using IDisposable subscription = pipeline.Events.Subscribe(e => events[_index[e.Threshold]]++);
        using var source = new WavFileSource(wavPath, _sampleRate);
        float[] buffer = new float[ChunkSamples];
        int read;
        while ((read = source.Read(buffer, cancellationToken)) > 0)
        {
            pipeline.Process(buffer.AsSpan(0, read));
        }

        double seconds = (double)pipeline.SamplesProcessed / _sampleRate;
        Array.Clear(buffer);
        for (long tail = (long)(tailSeconds * _sampleRate); tail > 0; tail -= ChunkSamples)
        {
            pipeline.Process(buffer.AsSpan(0, (int)Math.Min(ChunkSamples, tail)));
        }

        return (events, seconds);
    }
}
