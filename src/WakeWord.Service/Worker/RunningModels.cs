using WakeWord.Core.Detection;
using WakeWord.Core.Pipeline;
using WakeWord.Core.Scoring;
using WakeWord.Onnx;
using WakeWord.Service.Hub;

namespace WakeWord.Service.Worker;

/// <summary>
/// One loaded set of models: their files as loaded, what the files say, and the pipeline, whose detectors own the
/// settings in force (<see cref="SettingsOf"/> reads them there).
/// </summary>
public sealed class RunningModels : IDisposable
{
    public required string[] Paths { get; init; }

    public required ModelFileStamp[] Stamps { get; init; }

    public required ModelInfo[] Infos { get; init; }

    /// <summary>The loaded models (sessions, shared front ends), disposed after the pipeline that streams through them.</summary>
    public required ModelSet Models { get; init; }

    public required WakeWordPipeline Pipeline { get; init; }

    /// <summary>The hub's subscription to this pipeline's events, ended with it.</summary>
    public IDisposable? EventSubscription { get; set; }

    public string[] Words => Infos.Select(i => i.Word).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The detector settings in force for model <paramref name="model"/> (the service runs one detector per model).</summary>
    public DetectorSettings SettingsOf(int model) => Pipeline.GetDetectorSettings(model, 0);

    /// <summary>What the hub tells the rest of the service: one entry per model, each reading its detector's settings.</summary>
    public LoadedModel[] Loaded() => Infos.Select((info, i) => new LoadedModel(info.Id, info.Word, info.Path, () => SettingsOf(i))).ToArray();

    public string Describe() => string.Join(", ", Infos.Select(i => $"\"{i.Word}\" ({i.Id})"));

    public void Dispose()
    {
        EventSubscription?.Dispose();
        Pipeline.Dispose();
        Models.Dispose();
    }
}
