namespace WakeWord.Service.Options;

/// <summary>The "Models" section of appsettings.json: which models run, and how each one decides.</summary>
public sealed class ModelsOptions
{
    public const string SectionName = "Models";

    /// <summary>Folder of models; relative paths are relative to the service's folder (where models/ is shipped).</summary>
    public string Directory { get; set; } = "models";

    /// <summary>The models to run. Empty: every *.onnx in <see cref="Directory"/> with its recommended settings.</summary>
    public List<ModelEntryOptions> Active { get; set; } = [];

    /// <summary>
    /// Load the models again when a model file changes (a retrained model copied over the old one, a new *.onnx in
    /// <see cref="Directory"/> when <see cref="Active"/> is empty), without a restart. A file that fails to load leaves
    /// the running models in place. A changed model list in appsettings.json is applied either way.
    /// </summary>
    public bool ReloadOnFileChange { get; set; } = true;
}
