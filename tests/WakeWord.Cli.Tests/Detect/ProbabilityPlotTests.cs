using SkiaSharp;
using WakeWord.Cli.Detect;
using WakeWord.Core.FrontEnds.LogMel;
using WakeWord.Core.Scoring;
using WakeWord.Onnx;

namespace WakeWord.Cli.Tests.Detect;

/// <summary>detect --plot with two models at the same threshold: both threshold lines must show, each in its colour.</summary>
public sealed class ProbabilityPlotTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wakeword-plot-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Two_models_at_the_same_threshold_both_show_their_line()
    {
        ModelInfo model = OnnxModelLoader.ReadInfo(Path.Combine(RepoRoot(), "tests", "data", "models", "tiny.onnx"));
        var plot = new ProbabilityPlot([model, model], FeatureSpec.Default);
        plot.AddAudio(new float[model.SampleRate * 2]);
        string png = Path.Combine(_folder, "plot.png");

        plot.Save(png, "two models", [[0.5f], [0.5f]]);

        // The row of the threshold line is the one with the most coloured pixels; along it the first model's blue
        // (Category10 #1f77b4) and the second's orange (#ff7f0e) must both be there. Drawn with one pattern, the
        // orange dashes covered the blue ones exactly.
        using var image = SKBitmap.Decode(png);
        (int blue, int orange) best = (0, 0);
        for (int y = 0; y < image.Height; y++)
        {
            int blue = 0, orange = 0;
            for (int x = 0; x < image.Width; x++)
            {
                SKColor c = image.GetPixel(x, y);
                blue += c.Blue > c.Red + 40 && c.Blue > c.Green ? 1 : 0;
                orange += c.Red > c.Blue + 80 && c.Green > c.Blue ? 1 : 0;
            }

            if (blue + orange > best.blue + best.orange)
            {
                best = (blue, orange);
            }
        }

        Assert.True(best.blue > 100 && best.orange > 100, $"threshold row: {best.blue} blue and {best.orange} orange pixels");
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WakeWord.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("WakeWord.sln not found above " + AppContext.BaseDirectory);
    }
}
