using WakeWord.Core.Detection;
using WakeWord.Core.Pipeline;
using WakeWord.Core.Scoring;
using WakeWord.Onnx;
using WakeWord.Service.Hub;

namespace WakeWord.Service.Worker;

/// <summary>One loaded set of models: their files as loaded, what the files say, the detector settings, and the pipeline.</summary>
public sealed class RunningModels : IDisposable
{
    public required string[] Paths { get; init; }

    public required ModelFileStamp[] Stamps { get; init; }

    public required ModelInfo[] Infos { get; init; }

    /// <summary>Current detector settings, one per model; changed in place when appsettings.json changes a threshold.</summary>
    public required DetectorSettings[] Settings { get; init; }

    /// <summary>The loaded models (sessions, shared front ends), disposed after the pipeline that streams through them.</summary>
    public required ModelSet Models { get; init; }

    public required WakeWordPipeline Pipeline { get; init; }

    /// <summary>Why this set was loaded (shown when it takes over from another).</summary>
    public string Reason { get; set; } = "start";

    /// <summary>The worker's subscription to this pipeline's events, ended with it.</summary>
    public IDisposable? EventSubscription { get; set; }

    public string[] Words => Infos.Select(i => i.Word).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>What the hub tells the rest of the service: one entry per model, settings as they are now.</summary>
    public LoadedModel[] Loaded() => Infos.Select((info, i) => new LoadedModel(info.Id, info.Word, info.Path, Settings[i])).ToArray();

    public string Describe() => string.Join(", ", Infos.Select(i => $"\"{i.Word}\" ({i.Id})"));

    public void Dispose()
    {
        EventSubscription?.Dispose();
        Pipeline.Dispose();
        Models.Dispose();
    }
}
