using WakeWord.Core.Detection;
using WakeWord.Core.Scoring;

namespace WakeWord.Core.Pipeline;

/// <summary>One model in a pipeline, with one or more detectors (several thresholds in one pass, for sweeps).</summary>
public sealed record PipelineModel(IWakeWordModel Model, IReadOnlyList<DetectorSettings> Detectors);
