using WakeWord.Core.Detection;

namespace WakeWord.Service.Hub;

/// <summary>
/// A model the service runs now. Its detector settings are read, each time, from the detector that applies them (their
/// one owner), so a settings change is made once, on the detector, and shows here without a copy to keep in step.
/// </summary>
/// <param name="settings">Reads the settings in force (the running pipeline's detector).</param>
public sealed class LoadedModel(string id, string word, string path, Func<DetectorSettings> settings)
{
    public string Id { get; } = id;

    public string Word { get; } = word;

    public string Path { get; } = path;

    /// <summary>The detector settings in force now.</summary>
    public DetectorSettings Settings => settings();
}
