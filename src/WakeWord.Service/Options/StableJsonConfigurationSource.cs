using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace WakeWord.Service.Options;

/// <summary>A JSON settings file that keeps its last good values when an edit breaks it (see <see cref="StableJsonConfigurationProvider"/>).</summary>
public sealed class StableJsonConfigurationSource : JsonConfigurationSource
{
    /// <summary>Called with what is wrong when a changed file is refused (invalid, empty, deleted).</summary>
    public Action<string>? OnRefused { get; set; }

    /// <summary>Watch the file and apply good edits (the base class's own watch stays off).</summary>
    public bool Watch { get; set; }

    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new StableJsonConfigurationProvider(this);
    }
}
