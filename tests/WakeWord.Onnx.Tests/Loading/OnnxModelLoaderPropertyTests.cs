using CsCheck;
using WakeWord.Tests.Support;
using WakeWord.Core.Scoring;
using WakeWord.Onnx.Tests.TestSupport;

namespace WakeWord.Onnx.Tests.Loading;

/// <summary>
/// Hostile model files, made from the real tiny model: its metadata values replaced at random (huge, negative, not
/// numbers, empty, removed), and its bytes cut or overwritten at random (truncated protobuf, broken graph). The loader
/// either loads a model that then scores a step, or refuses it with a <see cref="ModelLoadException"/> that names the
/// file; nothing else is thrown, and no file makes it allocate in proportion to a size the file claims. CsCheck prints
/// the seed of a failure; keep it as a case below. WAKEWORD_FUZZ_SECONDS=N runs each for N seconds (FuzzBudget).
/// </summary>
public sealed class OnnxModelLoaderPropertyTests : IDisposable
{
    // A model load allocates well under this (a few hundred KB for the tiny model); a size taken from the file would not.
    private const long AllocationBound = 16L << 20;

    private static readonly string[] Values =
    [
        "0", "-1", "1", "3", "40", "2147483647", "-2147483648", "4294967296", "1099511627776", "1e9", "1e309", "NaN",
        "-0", "0.5", "abc", "", " ", "16000", "8000", "512", "hann_periodic", "htk", "slaney", "wakeword-gru-v1",
        "wakeword-gru-v2", "\u0000", new string('9', 400),
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("wakeword-loader-fuzz-").FullName;
    private readonly byte[] _tiny = File.ReadAllBytes(Models.Tiny);
    private readonly string[] _keys = [.. OnnxModelLoader.ReadInfo(Models.Tiny).Metadata.Keys.Order(StringComparer.Ordinal)];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void MetadataValuesAtRandomAreLoadedOrRefusedByName() =>
        Gen.Select(Gen.Int[0, _keys.Length - 1], Gen.Int[-1, Values.Length - 1], Gen.Int[0, 1000], (key, value, number) =>
                // Mostly the listed values (-1: the key removed); sometimes a plain number near the valid ones.
                (_keys[key], value < 0 ? null : number % 4 == 0 ? number.ToString(System.Globalization.CultureInfo.InvariantCulture) : Values[value]))
            .Array[1, 4]
            .Sample(edits => LoadOrRefuse(WithMetadata(edits)), iter: 150, time: FuzzBudget.Seconds, threads: 1);

    [Fact]
    public void BytesCutOrOverwrittenAreLoadedOrRefusedByName() =>
        Gen.Select(Gen.Int[0, _tiny.Length], Gen.Int[0, _tiny.Length - 1], Gen.Byte.Array[0, 16])
            .Sample((cut, at, patch) => LoadOrRefuse(WithBytes(cut, at, patch)), iter: 150, time: FuzzBudget.Seconds, threads: 1);

    [Theory]
    [InlineData("model.frames_per_step", "2147483647")]
    [InlineData("model.frames_per_step", "1000000")]
    [InlineData("model.context_frames", "2147483647")]
    [InlineData("feature.fft_size", "2147483647")]
    [InlineData("feature.window_samples", "2147483647")]
    [InlineData("feature.hop_samples", "2147483647")]
    [InlineData("detector.held_ones_steps", "2147483647")]
    public void AHugeSizeInTheMetadataIsRefusedWithoutAllocatingIt(string key, string value)
    {
        string path = WithMetadata([(key, value)]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < AllocationBound);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(key.Split('.')[1], ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    private string WithMetadata((string Key, string? Value)[] edits)
    {
        string edited = OnnxMetadataEditor.WriteEdited(Models.Tiny, m =>
        {
            foreach ((string key, string? value) in edits)
            {
                if (value is null)
                {
                    m.Remove(key);
                }
                else
                {
                    m[key] = value;
                }
            }
        });
        string path = Path.Combine(_folder, "metadata.onnx");
        File.Move(edited, path, overwrite: true);
        Directory.Delete(Path.GetDirectoryName(edited)!, recursive: true);
        return path;
    }

    private string WithBytes(int cut, int at, byte[] patch)
    {
        byte[] bytes = _tiny[..cut];
        for (int i = 0; i < patch.Length && at + i < bytes.Length; i++)
        {
            bytes[at + i] = patch[i];
        }

        string path = Path.Combine(_folder, "bytes.onnx");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void LoadOrRefuse(string path)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            using IWakeWordModel model = OnnxModelLoader.Load(path);
            using IWakeWordScorer scorer = model.CreateScorer();
            int frames = scorer.Info.RowsPerStep * scorer.Info.FrontEnd.Width;
            int steps = scorer.Score(new float[frames], new float[1]);
            Assert.Equal(1, steps);
        }
        catch (ModelLoadException ex)
        {
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < AllocationBound, $"{path}: the load allocated {allocated} bytes");
    }
}
