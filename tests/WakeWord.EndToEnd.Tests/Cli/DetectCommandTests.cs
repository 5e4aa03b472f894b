using System.Globalization;
using System.Text.Json;
using WakeWord.EndToEnd.Tests.Infrastructure;

namespace WakeWord.EndToEnd.Tests.Cli;

/// <summary>`wakeword detect` as a user runs it: the published binary, real WAVs, real models.</summary>
public sealed class DetectCommandTests
{
    private const double Tolerance = 0.5;

    // tests/data/audio/README.md gives where each clip ends ("wake word ends at"): 1 s of silence, then the recording
    // (the word and some room tone after it), then 1 s of silence; the synthesized word sits in noise from 1.8 s. The
    // event must fire inside the spoken clip or at most 0.5 s after its end: not in the leading silence, not late.
    [RequiresShippedModelTheory]
    [InlineData("computer_real_1.wav", 1.0, 3.00)]
    [InlineData("computer_real_2.wav", 1.0, 3.14)]
    [InlineData("computer_real_3.wav", 1.0, 3.14)]
    [InlineData("computer_synth_noisy.wav", 1.5, 2.59)]
    public async Task ShippedModelReportsTheWordOnceAtTheRightTime(string file, double clipStart, double wordEnd)
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunCliAsync("detect", RepoPaths.Audio(file), "--model", RepoPaths.ShippedModel, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        DetectEvent wake = Assert.Single(DetectEvent.Events(result.Stdout));
        Assert.Equal("computer", wake.Word);
        Assert.InRange(wake.TimeSeconds, clipStart, wordEnd + Tolerance);
        Assert.True(wake.Score >= wake.Threshold, result.Stdout);
    }

    [RequiresShippedModelFact]
    public async Task ShippedModelStaysSilentOnAMinuteOfOtherSpeech()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunCliAsync("detect", RepoPaths.Audio("negatives_long.wav"), "--model", RepoPaths.ShippedModel, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(DetectEvent.Events(result.Stdout));
    }

    [RequiresShippedModelFact]
    public async Task ModelsShippedNextToTheBinaryAreTheDefault()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult byDefault = await apps.RunCliAsync("detect", RepoPaths.Audio("computer_real_1.wav"), "--json");
        ProcessResult byWord = await apps.RunCliAsync("detect", RepoPaths.Audio("computer_real_1.wav"), "--word", "computer", "--json");

        Assert.True(byDefault.ExitCode == 0, byDefault.ToString());
        Assert.True(byWord.ExitCode == 0, byWord.ToString());
        Assert.Contains(DetectEvent.Events(byDefault.Stdout), e => e.Model == "computer");
        Assert.Equal("computer", Assert.Single(DetectEvent.Events(byWord.Stdout)).Model);
    }

    [Fact]
    public async Task JsonLinesParseAndCarryEveryField()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        // tiny.onnx is a plumbing model: at 0.3 it fires on this file, which is all this test needs.
        ProcessResult result = await apps.RunCliAsync("detect", RepoPaths.Audio("computer_real_1.wav"), "-m", RepoPaths.TinyModel, "--thresholds", "0.3", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        List<JsonElement> events = DetectEvent.Lines(result.Stdout, "event");
        Assert.NotEmpty(events);
        foreach (JsonElement json in events)
        {
            var wake = DetectEvent.From(json);
            Assert.Equal("computer", wake.Word);
            Assert.Equal("tiny", wake.Model);
            Assert.Equal(0.3, wake.Threshold, 1e-6);
            Assert.True(wake.Score >= wake.Threshold);
            Assert.InRange(wake.TimeSeconds, 0, 4.0);
            Assert.True(json.TryGetProperty("time_utc", out _));
        }

        Assert.Equal(events.Count, result.StdoutLines.Length);
    }

    [Fact]
    public async Task SeveralThresholdsInOnePassEqualSeparateRuns()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string wav = RepoPaths.Audio("negatives_long.wav");
        string[] thresholds = ["0.3", "0.32", "0.45"];

        ProcessResult sweep = await apps.RunCliAsync("detect", wav, "-m", RepoPaths.TinyModel, "--thresholds", string.Join(',', thresholds), "--json");

        Assert.True(sweep.ExitCode == 0, sweep.ToString());
        List<DetectEvent> all = DetectEvent.Events(sweep.Stdout);
        Assert.All(all, e => Assert.Contains(e.Threshold.ToString("0.##", CultureInfo.InvariantCulture), thresholds));
        int previous = int.MaxValue;
        foreach (string threshold in thresholds)
        {
            ProcessResult single = await apps.RunCliAsync("detect", wav, "-m", RepoPaths.TinyModel, "--thresholds", threshold, "--json");
            List<DetectEvent> alone = DetectEvent.Events(single.Stdout);
            var inSweep = all.Where(e => Math.Abs(e.Threshold - double.Parse(threshold, CultureInfo.InvariantCulture)) < 1e-6).ToList();

            Assert.Equal(alone.Select(e => (e.TimeSeconds, e.Score)), inSweep.Select(e => (e.TimeSeconds, e.Score)));
            Assert.True(inSweep.Count <= previous, "a higher threshold cannot fire more often");
            previous = inSweep.Count;
        }

        Assert.True(all.Count > 0, "the sweep should fire at its lowest threshold on this file");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("3")]
    public async Task SeveralFilesInOneCallGiveEachFileItsOwnRunInTheOrderGiven(string parallel)
    {
        // Scored at once on one loaded model (a stream's state per file): every line names its file, files print in
        // the order given whatever finishes first, and each file's lines are those it gets alone.
        PublishedApps apps = await PublishedApps.GetAsync();
        string[] wavs = [RepoPaths.Audio("negatives_long.wav"), RepoPaths.Audio("computer_real_1.wav"), RepoPaths.Audio("computer_real_2.wav")];

        ProcessResult together = await apps.RunCliAsync(["detect", .. wavs, "-m", RepoPaths.TinyModel, "-t", "0.3,0.5", "--scores", "--json", "--parallel", parallel]);

        Assert.True(together.ExitCode == 0, together.ToString());
        var lines = DetectEvent.Lines(together.Stdout, "score").Concat(DetectEvent.Lines(together.Stdout, "event")).ToList();
        Assert.Equal(together.StdoutLines.Length, lines.Count);
        string[] order = [.. together.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("input").GetString()!).Distinct()];
        Assert.Equal(wavs, order);
        foreach (string wav in wavs)
        {
            ProcessResult alone = await apps.RunCliAsync("detect", wav, "-m", RepoPaths.TinyModel, "-t", "0.3,0.5", "--scores", "--json");
            string[] mine = [.. together.StdoutLines.Where(l => JsonDocument.Parse(l).RootElement.GetProperty("input").GetString() == wav)];
            Assert.Equal(alone.StdoutLines.Select(WithoutInputAndClock), mine.Select(WithoutInputAndClock));
            Assert.NotEmpty(mine);
        }

        Assert.Contains(together.StdoutLines, l => l.Contains("\"type\":\"event\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SeveralFilesInTextNameTheirFileOnEveryLineAndSummariseEach()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string[] wavs = [RepoPaths.Audio("computer_real_1.wav"), RepoPaths.Audio("computer_real_2.wav")];

        ProcessResult result = await apps.RunCliAsync(["detect", .. wavs, "-m", RepoPaths.TinyModel, "-t", "0.3"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.NotEmpty(result.StdoutLines);
        Assert.All(result.StdoutLines, line => Assert.Matches(@"^event time_s=\d+\.\d{3} word=computer score=[01]\.\d{3} threshold=0\.3 model=tiny input=.*computer_real_[12]\.wav$", line));
        Assert.Equal(2, result.StderrLines.Length);
        Assert.EndsWith("computer_real_1.wav; thresholds: tiny 0.3", result.StderrLines[0]);
        Assert.EndsWith("computer_real_2.wav; thresholds: tiny 0.3", result.StderrLines[1]);
    }

    /// <summary>A line without "input" (a one-file run has none) and without the wall-clock time (it differs between runs).</summary>
    private static string WithoutInputAndClock(string line)
    {
        System.Text.Json.Nodes.JsonObject json = System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject();
        json.Remove("input");
        json.Remove("time_utc");
        return json.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    [Fact]
    public async Task ScoresCoverEveryStepAtTheContractTimes()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        ProcessResult info = await apps.RunCliAsync("models", "-m", RepoPaths.TinyModel, "--json");
        JsonElement model = JsonDocument.Parse(info.StdoutLines.Single()).RootElement;
        int framesPerStep = model.GetProperty("rows_per_step").GetInt32();
        JsonElement features = model.GetProperty("front_end");
        int window = features.GetProperty("first_row_samples").GetInt32();
        int hop = features.GetProperty("row_samples").GetInt32();
        int rate = features.GetProperty("sample_rate").GetInt32();

        ProcessResult result = await apps.RunCliAsync("detect", RepoPaths.Audio("computer_real_1.wav"), "-m", RepoPaths.TinyModel, "--scores", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        List<JsonElement> scores = DetectEvent.Lines(result.Stdout, "score");
        int samples = WavData.PcmBytes(RepoPaths.Audio("computer_real_1.wav")).Length / 2;
        int frames = ((samples - window) / hop) + 1;
        Assert.Equal(frames / framesPerStep, scores.Count);
        for (int step = 0; step < scores.Count; step++)
        {
            Assert.Equal(step, scores[step].GetProperty("step").GetInt64());
            double expected = ((((step + 1) * framesPerStep) - 1) * hop + window) / (double)rate;
            Assert.Equal(expected, scores[step].GetProperty("time_s").GetDouble(), 1e-6);
            Assert.InRange(scores[step].GetProperty("prob").GetDouble(), 0, 1);
        }
    }

    [Fact]
    public async Task TextScoresAndEventsAreKeyValueLines()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunCliAsync("detect", RepoPaths.Audio("computer_real_1.wav"), "-m", RepoPaths.TinyModel, "--scores", "-t", "0.3");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.All(result.StdoutLines, line => Assert.Matches(@"^(score step=\d+ time_s=\d+\.\d{3} model=tiny prob=[01]\.\d{4}|event time_s=\d+\.\d{3} word=computer score=[01]\.\d{3} threshold=0\.3 model=tiny)$", line));
        Assert.Contains(result.StdoutLines, l => l.StartsWith("event ", StringComparison.Ordinal));
        Assert.Matches(@"^# \d+ event\(s\) in 4\.00 s of audio from file:.*; thresholds: tiny 0\.3$", result.StderrLines.Single());
    }

    [Fact]
    public async Task WithoutThresholdsEachModelUsesItsRecommendedOne()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        ProcessResult info = await apps.RunCliAsync("models", "-m", RepoPaths.TinyModel, "--json");
        float recommended = System.Text.Json.JsonDocument.Parse(info.Stdout).RootElement.GetProperty("threshold").GetSingle();

        ProcessResult result = await apps.RunCliAsync("detect", RepoPaths.Audio("computer_real_1.wav"), "-m", RepoPaths.TinyModel);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith($"; thresholds: tiny {recommended.ToString("0.###", CultureInfo.InvariantCulture)}", result.StderrLines.Single());
    }

    [Fact]
    public async Task StdinGivesTheSameScoresAsTheFile()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string wav = RepoPaths.Audio("computer_synth_noisy.wav");

        ProcessResult fromFile = await apps.RunCliAsync("detect", wav, "-m", RepoPaths.TinyModel, "--scores", "--json", "-t", "0.3");
        ProcessResult fromStdin = await apps.RunCliWithInputAsync(WavData.PcmBytes(wav), "detect", "-", "-m", RepoPaths.TinyModel, "--scores", "--json", "-t", "0.3");

        Assert.True(fromStdin.ExitCode == 0, fromStdin.ToString());
        AssertClose(Probabilities(fromFile.Stdout), Probabilities(fromStdin.Stdout));
        Assert.NotEmpty(Probabilities(fromStdin.Stdout));
    }

    [Fact]
    public async Task ChunkSizeDoesNotChangeTheResult()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string wav = RepoPaths.Audio("computer_real_2.wav");

        ProcessResult whole = await apps.RunCliAsync("detect", wav, "-m", RepoPaths.TinyModel, "--scores", "--json", "--chunk", "64000");
        ProcessResult small = await apps.RunCliAsync("detect", wav, "-m", RepoPaths.TinyModel, "--scores", "--json", "--chunk", "7");

        AssertClose(Probabilities(whole.Stdout), Probabilities(small.Stdout));
    }

    // A pipe hands over reads of varying sizes, and the pipeline slices audio by what it is given: the same
    // probabilities up to float rounding, as the pipeline's own chunking tests state.
    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5);
        }
    }

    [Fact]
    public async Task StdinAtAnotherRateIsResampled()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        // 16 kHz samples declared as 8 kHz: twice as long once resampled to 16 kHz.
        byte[] pcm = WavData.PcmBytes(RepoPaths.Audio("computer_real_1.wav"));

        ProcessResult result = await apps.RunCliWithInputAsync(pcm, "detect", "-", "-m", RepoPaths.TinyModel, "--rate", "8000");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"in (7\.9\d|8\.00) s of audio from stdin", result.Stderr);
    }

    [Fact]
    public async Task PlotWritesAPngAndLeavesTheOutputAsItWas()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string folder = Directory.CreateTempSubdirectory("wakeword-plot-").FullName;
        try
        {
            string png = Path.Combine(folder, "probabilities.png");
            string[] arguments = ["detect", RepoPaths.Audio("computer_real_1.wav"), "-m", RepoPaths.TinyModel, "--thresholds", "0.3,0.5", "--json"];

            ProcessResult plain = await apps.RunCliAsync(arguments);
            ProcessResult plotted = await apps.RunCliAsync([.. arguments, "--plot", png]);

            Assert.True(plotted.ExitCode == 0, plotted.ToString());
            Assert.NotEmpty(DetectEvent.Events(plain.Stdout));
            Assert.Equal(DetectEvent.Events(plain.Stdout), DetectEvent.Events(plotted.Stdout));
            byte[] image = await File.ReadAllBytesAsync(png);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], image[..8]);
            Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(image, 12, 4));
            Assert.Equal((1200, 800), (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(image.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(image.AsSpan(20))));
            // A blank canvas compresses to a few kB; curves, grid, text and the spectrogram panel (what the model heard) take far more.
            Assert.True(image.Length > 100_000, $"{image.Length} bytes: nothing drawn?");

            ProcessResult nowhere = await apps.RunCliAsync([.. arguments, "--plot", Path.Combine(folder, "missing", "p.png")]);
            Assert.Equal(2, nowhere.ExitCode);
            Assert.Equal($"wakeword: --plot: the folder {Path.Combine(folder, "missing")} does not exist", nowhere.Stderr.Trim());
            Assert.Equal(string.Empty, nowhere.Stdout);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double[] Probabilities(string stdout) =>
        DetectEvent.Lines(stdout, "score").Select(s => s.GetProperty("prob").GetDouble()).ToArray();
}
