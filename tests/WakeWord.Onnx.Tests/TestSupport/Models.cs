using WakeWord.Tests.Support;

namespace WakeWord.Onnx.Tests.TestSupport;

internal static class Models
{
    /// <summary>The small contract model trained for tests (word "computer"); committed under tests/data/models.</summary>
    public static string Tiny => TestFiles.Require("tests", "data", "models", "tiny.onnx");

    /// <summary>A tiny head on the shipped speech-embedding front end (seeded weights, never trained): python3 -m training goldens --head.</summary>
    public static string TinyHead => TestFiles.Require("tests", "data", "models", "tiny_head.onnx");

    /// <summary>A tiny staggered head (three GRU copies over a window of 18, one embedding per call): python3 -m training goldens --head.</summary>
    public static string TinyStaggeredHead => TestFiles.Require("tests", "data", "models", "tiny_staggered_head.onnx");

    /// <summary>Three tiny staggered heads packed in one GRU node per layer (two layers of 8, four copies over 12): python3 -m training goldens --head.</summary>
    public static string TinyStaggeredEnsemble => TestFiles.Require("tests", "data", "models", "tiny_staggered_ensemble.onnx");

    /// <summary>The shipped front end, written by training's export (models/frontends).</summary>
    public static string SpeechEmbedding => TestFiles.Require("models", "frontends", "speech_embedding.onnx");

    /// <summary>A valid ONNX model (one Relu) that is not a wake-word model.</summary>
    public static string NotWakeWord => TestFiles.Require("tests", "data", "models", "not_wakeword.onnx");

    /// <summary>The shipped model; tests that need it use <see cref="ComputerModelFactAttribute"/>.</summary>
    public static string ComputerPath => TestFiles.Path("models", "computer.onnx");
}

/// <summary>A fact that needs models/computer.onnx (the shipped model, trained by training/); skipped, saying so, only while it is absent.</summary>
public sealed class ComputerModelFactAttribute : FactAttribute
{
    public ComputerModelFactAttribute()
    {
        if (!File.Exists(Models.ComputerPath))
        {
            Skip = $"models/computer.onnx is not there ({Models.ComputerPath}): train and export it with `python3 -m training` first.";
        }
    }
}

/// <summary>A theory that needs models/computer.onnx; skipped, saying so, only while it is absent.</summary>
public sealed class ComputerModelTheoryAttribute : TheoryAttribute
{
    public ComputerModelTheoryAttribute()
    {
        if (!File.Exists(Models.ComputerPath))
        {
            Skip = $"models/computer.onnx is not there ({Models.ComputerPath}): train and export it with `python3 -m training` first.";
        }
    }
}
