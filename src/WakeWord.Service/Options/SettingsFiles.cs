using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace WakeWord.Service.Options;

/// <summary>
/// The JSON settings files of the configuration, each read by a <see cref="StableJsonConfigurationProvider"/>: a live
/// edit that breaks a file is refused and raised as <see cref="Refused"/> (the worker logs it), and the running
/// settings stay.
/// </summary>
public sealed class SettingsFiles
{
    private readonly string[] _paths;

    public SettingsFiles(IEnumerable<string> paths) => _paths = [.. paths];

    /// <summary>The files that existed at start.</summary>
    public IReadOnlyList<string> Paths => _paths;

    /// <summary>
    /// How reload messages name the settings: the file read last, whose values win (WAKEWORD_CONFIG's when it is set,
    /// the one an administrator edits), not always "appsettings.json".
    /// </summary>
    public string Name => _paths.Length > 0 ? _paths[^1] : "the settings";

    /// <summary>What is wrong with a changed file that was refused (raised on the file watcher's thread).</summary>
    public event Action<string>? Refused;

    /// <summary>Puts every JSON source of the configuration behind a <see cref="StableJsonConfigurationSource"/>.</summary>
    public static SettingsFiles Of(IConfigurationBuilder configuration)
    {
        var found = new List<string>();
        SettingsFiles? files = null;
        IList<IConfigurationSource> sources = configuration.Sources;
        for (int i = 0; i < sources.Count; i++)
        {
            if (sources[i] is not JsonConfigurationSource json || json is StableJsonConfigurationSource)
            {
                continue;
            }

            sources[i] = new StableJsonConfigurationSource
            {
                FileProvider = json.FileProvider,
                Path = json.Path ?? "",
                Optional = json.Optional,
                ReloadDelay = json.ReloadDelay,
                ReloadOnChange = false,
                Watch = json.ReloadOnChange,
                OnRefused = problem => files?.Refused?.Invoke(problem),
            };
            string? path = json.FileProvider?.GetFileInfo(json.Path ?? "").PhysicalPath;
            if (path is not null && File.Exists(path))
            {
                found.Add(path);
            }
        }

        files = new SettingsFiles(found);
        return files;
    }

    /// <summary>Null when the file is there and is a JSON object; else what is wrong, with the line and position.</summary>
    public static string? Check(string path) => Read(path, out _);

    /// <summary>Reads the file once: its text, or (returned) what is wrong with it.</summary>
    public static string? Read(string path, out string text)
    {
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            text = "";
            return File.Exists(path) ? $"{path} cannot be read: {ex.Message}" : $"{path} was deleted";
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return $"{path} is empty";
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return document.RootElement.ValueKind == JsonValueKind.Object ? null : $"{path} must hold one JSON object {{ ... }}, not a {document.RootElement.ValueKind}";
        }
        catch (JsonException ex)
        {
            return $"{path} is not valid JSON: {Describe(ex)}";
        }
    }

    /// <summary>"line 3, position 28: ..." from a parser error (System.Text.Json counts from 0).</summary>
    public static string Describe(JsonException ex)
    {
        string reason = ex.Message;
        int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        reason = (cut > 0 ? reason[..cut] : reason).TrimEnd().TrimEnd('.');
        return ex.LineNumber is long line
            ? $"line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}: {reason}"
            : reason;
    }
}
