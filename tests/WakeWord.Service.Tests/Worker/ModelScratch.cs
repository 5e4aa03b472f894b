using WakeWord.Service.Options;
using WakeWord.Tests.Support;

namespace WakeWord.Service.Tests.Worker;

/// <summary>A temporary models folder holding copies of the committed test models; removed with everything in it.</summary>
internal sealed class ModelScratch : IDisposable
{
    public ModelScratch()
    {
        Root = Directory.CreateTempSubdirectory("wakeword-host-").FullName;
        Directory.CreateDirectory(Models);
    }

    public string Root { get; }

    public string Models => Path.Combine(Root, "models");

    /// <summary>The small contract model (word "computer", 16 kHz); it fires at 0.3 on the committed real recordings.</summary>
    public static string Tiny => TestFiles.Require("tests", "data", "models", "tiny.onnx");

    /// <summary>A valid ONNX model that is not a wake-word model.</summary>
    public static string NotWakeWord => TestFiles.Require("tests", "data", "models", "not_wakeword.onnx");

    /// <summary>A real recording of the wake word (16 kHz).</summary>
    public static float[] SpokenWord => TestFiles.ReadPcm16MonoWav(TestFiles.Require("tests", "data", "audio", "computer_real_1.wav")).Samples;

    /// <summary>Copies <paramref name="source"/> into the models folder as <paramref name="name"/>; returns its path.</summary>
    public string Add(string name, string source)
    {
        string path = Path.Combine(Models, name);
        File.Copy(source, path, overwrite: true);
        return path;
    }

    public ModelsOptions Config(params (string Name, float Threshold)[] models) => new()
    {
        Directory = Models,
        ReloadOnFileChange = false,
        Active = [.. models.Select(m => new ModelEntryOptions { Path = Path.Combine(Models, m.Name), Threshold = m.Threshold })],
    };

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
