using System.Text.Json;
using WakeWord.Core.Detection;
using WakeWord.Core.Pipeline;
using WakeWord.Core.Scoring;
using WakeWord.Onnx.Tests.Pipeline;
using WakeWord.Tests.Support;

namespace WakeWord.Onnx.Tests.TestSupport;

/// <summary>
/// A tiny head's golden from training (`python3 -m training goldens --head`): the embeddings of
/// tests/data/audio/computer_real_1.wav and the head's probabilities over them, in tests/data/golden/NAME_forward.json.
/// </summary>
internal static class HeadGolden
{
    public static (float[] Embeddings, float[] Probabilities) Read(string name)
    {
        JsonElement golden = TestFiles.ReadJson(TestFiles.Require("tests", "data", "golden", name + "_forward.json"));
        return (TestFiles.FloatArray(golden.GetProperty("embeddings")), TestFiles.FloatArray(golden.GetProperty("probs")));
    }

    /// <summary>The C# front end and head on the golden's real speech against training's torch front end and head.</summary>
    public static void AssertPipelineGivesTrainingsProbabilities(string modelPath, string name)
    {
        (float[] _, float[] expected) = Read(name);
        float[] audio = TestFiles.ReadPcm16MonoWav(TestFiles.Require("tests", "data", "audio", "computer_real_1.wav")).Samples;
        using IWakeWordModel model = OnnxModelLoader.Load(modelPath);
        using var pipeline = new WakeWordPipeline([new PipelineModel(model, [new DetectorSettings(0.5f)])]);
        var run = new PipelineRun(pipeline, audio, 1000);
        Approx.AssertClose(expected, run.Scores[0], 1e-3f, "pipeline");
    }
}
