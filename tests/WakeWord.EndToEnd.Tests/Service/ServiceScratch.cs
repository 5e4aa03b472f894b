namespace WakeWord.EndToEnd.Tests.Service;

/// <summary>
/// A temporary folder per service run, and the settings that keep parallel runs apart: their own event socket and their
/// own log file (both inside the folder).
/// </summary>
public sealed class ServiceScratch : IDisposable
{
    public ServiceScratch()
    {
        Folder = Directory.CreateTempSubdirectory("wakeword-svc-").FullName;
    }

    public string Folder { get; }

    public string LogFolder => Path.Combine(Folder, "logs");

    /// <summary>Command-line settings every service run here gets, then the test's own.</summary>
    public string[] Arguments(params string[] settings) =>
    [
        $"--Events:PipeName={Path.Combine(Folder, "ev.sock")}",
        $"--Serilog:WriteTo:1:Args:path={Path.Combine(LogFolder, "wakeword-.log")}",
        .. settings,
    ];

    /// <summary>Runs the tiny model instead of the shipped one (which may not exist yet).</summary>
    public static string[] TinyModel(params string[] settings) => ModelAt(Infrastructure.RepoPaths.TinyModel, settings);

    /// <summary>Runs the model at <paramref name="path"/> instead of the shipped one.</summary>
    public static string[] ModelAt(string path, params string[] settings) =>
    [
        "--Models:Active:0:Word=",
        $"--Models:Active:0:Path={path}",
        .. settings,
    ];

    /// <summary>A copy of the tiny model in this folder's models/ (as wake.onnx), for tests that change the file under a running service.</summary>
    public string CopyOfTinyModel()
    {
        string model = Path.Combine(Directory.CreateDirectory(Path.Combine(Folder, "models")).FullName, "wake.onnx");
        File.Copy(Infrastructure.RepoPaths.TinyModel, model);
        return model;
    }

    public string FileLog() => string.Concat(Directory.GetFiles(LogFolder).Select(File.ReadAllText));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Harmless leftover.
        }
    }
}
