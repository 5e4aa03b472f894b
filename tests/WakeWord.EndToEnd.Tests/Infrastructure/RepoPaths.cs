namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>Files of this repository the tests use (found by walking up to WakeWord.sln).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WakeWord.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"WakeWord.sln not found above {AppContext.BaseDirectory}");
    });

    public static string Root => RootPath.Value;

    /// <summary>The shipped model (trained by training/); tests that need a model that really detects use it.</summary>
    public static string ShippedModel => Path.Combine(Root, "models", "computer.onnx");

    /// <summary>A small contract-conforming model: right plumbing, useless accuracy.</summary>
    public static string TinyModel => Path.Combine(Root, "tests", "data", "models", "tiny.onnx");

    /// <summary>A valid ONNX file that is not a wake-word model.</summary>
    public static string NotWakeWordModel => Path.Combine(Root, "tests", "data", "models", "not_wakeword.onnx");

    public static string Audio(string name) => Path.Combine(Root, "tests", "data", "audio", name);
}
