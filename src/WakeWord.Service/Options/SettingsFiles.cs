using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace WakeWord.Service.Options;

/// <summary>
/// The JSON settings files the service started with, checked again when one changes. A file that is saved half-way,
/// emptied, made invalid or deleted makes .NET's provider drop all of its values (the Models list would become "every
/// model in the folder"); the worker asks <see cref="Problem"/> first and keeps the running settings instead.
/// </summary>
public sealed class SettingsFiles
{
    private readonly string[] paths;

    public SettingsFiles(IEnumerable<string> paths) => this.paths = [.. paths];

    public IReadOnlyList<string> Paths => paths;

    /// <summary>The JSON files among the configuration's sources that exist now; failed reloads are left to <see cref="Problem"/>.</summary>
    public static SettingsFiles Of(IConfigurationBuilder configuration)
    {
        var found = new List<string>();
        foreach (JsonConfigurationSource source in configuration.Sources.OfType<JsonConfigurationSource>())
        {
            // Without this, a reload that fails throws on the file watcher's thread, and nobody hears of it.
            source.OnLoadException = context => context.Ignore = true;
            string? path = source.FileProvider?.GetFileInfo(source.Path ?? "").PhysicalPath;
            if (path is not null && File.Exists(path))
            {
                found.Add(path);
            }
        }

        return new SettingsFiles(found);
    }

    /// <summary>Null when every file is there and is a JSON object; else what is wrong, with the line and position.</summary>
    public string? Problem()
    {
        foreach (string path in paths)
        {
            if (Check(path) is string problem)
            {
                return problem;
            }
        }

        return null;
    }

    public static string? Check(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return File.Exists(path) ? $"{path} cannot be read: {ex.Message}" : $"{path} was deleted";
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return $"{path} is empty";
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
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
