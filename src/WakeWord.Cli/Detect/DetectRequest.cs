namespace WakeWord.Cli.Detect;

/// <summary>What `wakeword detect` was asked to do, after parsing.</summary>
/// <param name="Inputs">WAV paths, or the one input "-" for raw PCM on stdin.</param>
/// <param name="ModelPaths">--model values.</param>
/// <param name="Words">--word values.</param>
/// <param name="ModelsDirectory">--models-dir, or null for the models/ folder next to the binary.</param>
/// <param name="Thresholds">--thresholds, or null for each model's recommended threshold.</param>
/// <param name="ConsecutiveSteps">--consecutive.</param>
/// <param name="RefractorySeconds">--refractory, or null for each model's recommended value.</param>
/// <param name="Json">--json.</param>
/// <param name="Scores">--scores.</param>
/// <param name="StdinSampleRate">--rate: sample rate of raw PCM on stdin.</param>
/// <param name="StdinChannels">--channels: interleaved channels of raw PCM on stdin.</param>
/// <param name="ChunkSamples">--chunk: samples fed to the pipeline per call.</param>
/// <param name="PlotPath">--plot: a PNG to draw the probabilities, thresholds and events into, or null.</param>
/// <param name="Parallelism">--parallel: inputs scored at once on the same loaded models.</param>
public sealed record DetectRequest(
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> ModelPaths,
    IReadOnlyList<string> Words,
    string? ModelsDirectory,
    IReadOnlyList<float>? Thresholds,
    int ConsecutiveSteps,
    double? RefractorySeconds,
    bool Json,
    bool Scores,
    int? StdinSampleRate,
    int? StdinChannels,
    int ChunkSamples,
    string? PlotPath = null,
    int Parallelism = 1)
{
    public const string StdinInput = "-";

    public bool FromStdin => Inputs is [StdinInput];
}
