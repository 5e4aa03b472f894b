using WakeWord.Core.Detection;
using WakeWord.Core.Pipeline;
using WakeWord.Core.Scoring;
using WakeWord.Onnx;
using WakeWord.Service.Options;

namespace WakeWord.Service.Worker;

/// <summary>Loads the models that the Models section names into one pipeline, all or nothing.</summary>
public static class ModelSetLoader
{
    /// <param name="sampleRate">The running audio source's rate, which a reload cannot change; null at start.</param>
    /// <exception cref="ModelLoadException">A file is missing or not a usable model, or the models disagree; names the file.</exception>
    public static RunningModels Load(ModelsOptions config, string contentRoot, int? sampleRate)
    {
        string[] paths = [.. ModelFiles.Resolve(config, contentRoot)];
        if (paths.Length == 0)
        {
            throw new ModelLoadException($"no models to run: Models:Active is empty and {ModelFiles.DirectoryOf(config, contentRoot)} holds no *.onnx");
        }

        // Stamped before loading: a file rewritten during the load then differs from its stamp and is loaded again.
        ModelFileStamp[] stamps = [.. paths.Select(ModelFileStamp.Of)];
        ModelSet loaded = OnnxModelLoader.LoadAll(paths);
        try
        {
            ModelInfo[] infos = [.. loaded.Select(s => s.Info)];
            if (sampleRate is int rate && infos[0].SampleRate != rate)
            {
                throw new ModelLoadException(
                    $"{infos[0].Path}: needs audio at {infos[0].SampleRate} Hz, but the audio source runs at {rate} Hz; restart the service to change the sample rate");
            }

            var models = new List<PipelineModel>(infos.Length);
            for (int i = 0; i < infos.Length; i++)
            {
                models.Add(new PipelineModel(loaded[i], [SettingsFor(EntryAt(config, i), infos[i])]));
            }

            return new RunningModels
            {
                Paths = paths,
                Stamps = stamps,
                Infos = infos,
                Models = loaded,
                Pipeline = new WakeWordPipeline(models),
            };
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    /// <summary>The detector settings the configuration gives model <paramref name="index"/>, or the model's own.</summary>
    public static DetectorSettings SettingsFor(ModelsOptions config, int index, ModelInfo info) => SettingsFor(EntryAt(config, index), info);

    private static ModelEntryOptions? EntryAt(ModelsOptions config, int index) =>
        index < config.Active.Count ? config.Active[index] : null;

    private static DetectorSettings SettingsFor(ModelEntryOptions? entry, ModelInfo info) => new(
        entry?.Threshold ?? info.RecommendedThreshold,
        entry?.ConsecutiveSteps ?? DetectorSettings.DefaultConsecutiveSteps,
        entry?.RefractorySeconds ?? info.RecommendedRefractorySeconds);
}
