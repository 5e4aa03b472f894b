using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Primitives;

namespace WakeWord.Service.Options;

/// <summary>
/// Reads a JSON settings file like .NET's provider, but a live edit that leaves it invalid, empty or deleted is refused
/// and reported, and the last good values stay. .NET's provider drops all of the file's values in that case and
/// announces a reload, so a half-saved appsettings.json turned the Models list into "every model in the folder".
/// At start a bad file still fails (exit 2, with line and position).
/// </summary>
public sealed class StableJsonConfigurationProvider : JsonConfigurationProvider
{
    private readonly StableJsonConfigurationSource _source;
    private readonly IDisposable? _watch;

    public StableJsonConfigurationProvider(StableJsonConfigurationSource source)
        : base(source)
    {
        _source = source;
        if (source.Watch && source.FileProvider is not null && source.Path is not null)
        {
            _watch = ChangeToken.OnChange(() => source.FileProvider.Watch(source.Path), Reload);
        }
    }

    public string? PhysicalPath => _source.FileProvider?.GetFileInfo(_source.Path ?? "").PhysicalPath;

    private void Reload()
    {
        // As the base provider does: let the writer finish before reading.
        Thread.Sleep(_source.ReloadDelay);
        string? path = PhysicalPath;
        if (path is null)
        {
            return;
        }

        // One read: what is checked is what is loaded, even if the file changes again meanwhile.
        if (SettingsFiles.Read(path, out string text) is string problem)
        {
            _source.OnRefused?.Invoke(problem);
            return;
        }

        IDictionary<string, string?> lastGood = Data;
        try
        {
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
            Load(stream);
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
        {
            Data = lastGood;
            _source.OnRefused?.Invoke($"{path} cannot be read: {ex.Message}");
            return;
        }

        OnReload();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _watch?.Dispose();
        }

        base.Dispose(disposing);
    }
}
