using WakeWord.Core.Detection;

namespace WakeWord.Service.Hub;

/// <summary>A model the service runs now, with the detector settings in force.</summary>
public sealed record LoadedModel(string Id, string Word, string Path, DetectorSettings Settings);
