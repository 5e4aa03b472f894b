using System.Text.Json;
using WakeWord.Core.FrontEnds;
using WakeWord.Onnx.SpeechEmbedding;
using WakeWord.Onnx.Tests.TestSupport;
using WakeWord.Tests.Support;

namespace WakeWord.Onnx.Tests.SpeechEmbedding;

/// <summary>
/// The shipped front end (models/frontends/speech_embedding.onnx) run by the C# runtime. Its golden,
/// tests/data/golden/speech_embedding.json, is written by this class (WAKEWORD_WRITE_GOLDENS=1) and replayed by
/// training/tests/test_frontend.py against training's torch implementation.
/// </summary>
public sealed class SpeechEmbeddingFrontEndTests
{
    // Embedding values lie within about +-70; ONNX Runtime and torch agree to about 2e-5 on them.
    private const float Tolerance = 1e-3f;

    /// <summary>Odd sizes, most not a multiple of the 1280-sample step: the carry between calls is exercised.</summary>
    private static readonly int[] OddChunks = [1, 7, 333, 1279, 1281, 4000, 160, 2561];

    private static float[] Speech() => TestFiles.ReadPcm16MonoWav(TestFiles.Require("tests", "data", "audio", "computer_real_1.wav")).Samples;

    private static float[] Stream(IFrontEndStream stream, float[] audio, IReadOnlyList<int> chunks)
    {
        var rows = new List<float>();
        float[] buffer = new float[(chunks.Max() / 1280 + 2) * stream.Spec.Width];
        int c = 0;
        for (int start = 0; start < audio.Length; c++)
        {
            int n = Math.Min(chunks[c % chunks.Count], audio.Length - start);
            int written = stream.Process(audio.AsSpan(start, n), buffer);
            rows.AddRange(buffer.AsSpan(0, written * stream.Spec.Width).ToArray());
            start += n;
        }

        return [.. rows];
    }

    [Fact]
    public void Loads_WithTheContractsSpec()
    {
        using SpeechEmbeddingFrontEnd frontEnd = OnnxModelLoader.LoadFrontEnd(Models.SpeechEmbedding);
        Assert.Equal("speech_embedding", frontEnd.Spec.Kind);
        Assert.Equal((16000, 1280, 1280, 96), (frontEnd.Spec.SampleRate, frontEnd.Spec.RowSamples, frontEnd.Spec.FirstRowSamples, frontEnd.Spec.Width));
        Assert.Equal(9, frontEnd.WarmupSteps);
        Assert.Matches("^[0-9a-f]{64}$", frontEnd.Sha256);
    }

    [Fact]
    public void OddChunks_GiveWhatOneCallGives_AndTheGolden()
    {
        float[] audio = Speech();
        using SpeechEmbeddingFrontEnd frontEnd = OnnxModelLoader.LoadFrontEnd(Models.SpeechEmbedding);
        using IFrontEndStream stream = frontEnd.CreateStream();
        float[] once = Stream(stream, audio, [audio.Length]);
        stream.Reset();
        float[] odd = Stream(stream, audio, OddChunks);
        Assert.Equal(audio.Length / 1280 * 96, once.Length);
        Approx.AssertClose(once, odd, 1e-4f, "odd chunks vs one call"); // a run of k steps sums in another order than one of 1

        string golden = TestFiles.Path("tests", "data", "golden", "speech_embedding.json");
        if (Environment.GetEnvironmentVariable("WAKEWORD_WRITE_GOLDENS") == "1")
        {
            WriteGolden(golden, frontEnd, odd);
        }

        JsonElement root = TestFiles.ReadJson(TestFiles.Require("tests", "data", "golden", "speech_embedding.json"));
        Assert.Equal(frontEnd.Sha256, root.GetProperty("frontend_sha256").GetString());
        Approx.AssertClose(TestFiles.FloatArray(root.GetProperty("embeddings")), odd, Tolerance, "golden");
    }

    [Fact]
    public void Reset_StartsTheStreamAgain()
    {
        float[] audio = Speech();
        using SpeechEmbeddingFrontEnd frontEnd = OnnxModelLoader.LoadFrontEnd(Models.SpeechEmbedding);
        using IFrontEndStream stream = frontEnd.CreateStream();
        float[] first = Stream(stream, audio, [3000]);
        Stream(stream, audio.AsSpan(0, 700).ToArray(), [700]); // leaves samples pending and the state moved on
        stream.Reset();
        Approx.AssertClose(first, Stream(stream, audio, [3000]), 1e-6f, "after reset");
    }

    [Fact]
    public void TwoStreamsOnOneFrontEnd_KeepTheirOwnState()
    {
        float[] audio = Speech();
        float[] other = [.. audio.Reverse()];
        using SpeechEmbeddingFrontEnd frontEnd = OnnxModelLoader.LoadFrontEnd(Models.SpeechEmbedding);
        using IFrontEndStream a = frontEnd.CreateStream();
        using IFrontEndStream b = frontEnd.CreateStream();
        float[] aloneA = Stream(a, audio, [2000]);
        float[] aloneB = Stream(b, other, [2000]);
        a.Reset();
        b.Reset();
        var ra = new List<float>();
        var rb = new List<float>();
        float[] buffer = new float[4 * 96];
        for (int start = 0; start < audio.Length; start += 2000)
        {
            int n = Math.Min(2000, audio.Length - start);
            ra.AddRange(buffer.AsSpan(0, a.Process(audio.AsSpan(start, n), buffer) * 96).ToArray());
            rb.AddRange(buffer.AsSpan(0, b.Process(other.AsSpan(start, n), buffer) * 96).ToArray());
        }

        Approx.AssertClose(aloneA, [.. ra], 1e-6f, "stream a interleaved");
        Approx.AssertClose(aloneB, [.. rb], 1e-6f, "stream b interleaved");
    }

    [Fact]
    public void Process_AllocatesNothingInSteadyState()
    {
        float[] audio = Speech();
        using SpeechEmbeddingFrontEnd frontEnd = OnnxModelLoader.LoadFrontEnd(Models.SpeechEmbedding);
        using IFrontEndStream stream = frontEnd.CreateStream();
        float[] chunk = audio.AsSpan(0, 1600).ToArray(); // 100 ms: one or two steps per call, samples carried
        float[] rows = new float[3 * 96];
        for (int i = 0; i < 200; i++)
        {
            stream.Process(chunk, rows);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            stream.Process(chunk, rows);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Process_RefusesATooSmallRowBuffer()
    {
        using SpeechEmbeddingFrontEnd frontEnd = OnnxModelLoader.LoadFrontEnd(Models.SpeechEmbedding);
        using IFrontEndStream stream = frontEnd.CreateStream();
        ArgumentException ex = Assert.Throws<ArgumentException>(() => stream.Process(new float[2560], new float[96]));
        Assert.Contains("2 embeddings", ex.Message);
    }

    private static void WriteGolden(string path, SpeechEmbeddingFrontEnd frontEnd, float[] embeddings)
    {
        using FileStream file = File.Create(path);
        using var json = new Utf8JsonWriter(file);
        json.WriteStartObject();
        json.WriteString("note", "WAKEWORD_WRITE_GOLDENS=1 dotnet test --filter SpeechEmbeddingFrontEndTests: the C# runtime's embeddings, streamed in odd chunks");
        json.WriteString("audio", "tests/data/audio/computer_real_1.wav");
        json.WriteString("frontend_sha256", frontEnd.Sha256);
        json.WriteStartArray("chunks");
        foreach (int c in OddChunks)
        {
            json.WriteNumberValue(c);
        }

        json.WriteEndArray();
        json.WriteNumber("embedding_dim", frontEnd.Spec.Width);
        json.WriteStartArray("embeddings");
        foreach (float v in embeddings)
        {
            json.WriteNumberValue(MathF.Round(v, 5));
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
