namespace WakeWord.Service.Options;

/// <summary>The "Models" section of appsettings.json: which models run, and how each one decides.</summary>
public sealed class ModelsOptions
{
    public const string SectionName = "Models";

    /// <summary>Folder of models; relative paths are relative to the service's folder (where models/ is shipped).</summary>
    public string Directory { get; set; } = "models";

    /// <summary>The models to run. Empty: every *.onnx in <see cref="Directory"/> with its recommended settings.</summary>
    public List<ModelEntryOptions> Active { get; set; } = [];
}
