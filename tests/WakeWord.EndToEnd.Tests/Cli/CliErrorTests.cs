using WakeWord.EndToEnd.Tests.Infrastructure;

namespace WakeWord.EndToEnd.Tests.Cli;

/// <summary>Every bad input: the documented exit code and one line on stderr that names the problem, no stack trace.</summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wakeword-cli-errors-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task MissingWavIsAnInputError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string missing = Path.Combine(_folder, "missing.wav");

        ProcessResult result = await apps.RunCliAsync("detect", missing, "-m", RepoPaths.TinyModel);

        CliAssert.FailsWith(result, 3, missing, "file not found");
    }

    [Fact]
    public async Task CorruptWavIsAnInputError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string corrupt = Path.Combine(_folder, "corrupt.wav");
        byte[] noise = new byte[5000];
        new Random(3).NextBytes(noise);
        await File.WriteAllBytesAsync(corrupt, noise);

        ProcessResult result = await apps.RunCliAsync("detect", corrupt, "-m", RepoPaths.TinyModel);

        CliAssert.FailsWith(result, 3, corrupt, "not a valid WAV file");
    }

    [Fact]
    public async Task TruncatedWavIsAnInputError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string truncated = Path.Combine(_folder, "truncated.wav");
        byte[] whole = await File.ReadAllBytesAsync(RepoPaths.Audio("computer_real_1.wav"));
        await File.WriteAllBytesAsync(truncated, whole[..(whole.Length / 3)]);

        ProcessResult result = await apps.RunCliAsync("detect", truncated, "-m", RepoPaths.TinyModel);

        CliAssert.FailsWith(result, 3, truncated, "truncated WAV file");
    }

    [Fact]
    public async Task OddByteCountOnStdinNamesTheExpectedFormat()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        byte[] pcm = new byte[32001];

        ProcessResult result = await apps.RunCliWithInputAsync(pcm, "detect", "-", "-m", RepoPaths.TinyModel);

        CliAssert.FailsWith(result, 3, "stdin: expected raw 16-bit little-endian mono PCM at 16000 Hz; got an odd number of bytes (32001)");
    }

    [Fact]
    public async Task WavFileOnStdinIsAnInputError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunCliWithInputAsync(await File.ReadAllBytesAsync(RepoPaths.Audio("computer_real_1.wav")), "detect", "-", "-m", RepoPaths.TinyModel);

        CliAssert.FailsWith(result, 3, "stdin: expected raw 16-bit", "got a WAV file");
    }

    [Fact]
    public async Task MissingModelIsAModelError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string missing = Path.Combine(_folder, "nope.onnx");

        ProcessResult result = await apps.RunCliAsync("detect", RepoPaths.Audio("computer_real_1.wav"), "-m", missing);

        CliAssert.FailsWith(result, 4, missing, "not found");
    }

    [Fact]
    public async Task OnnxFileThatIsNotAWakeWordModelIsAModelError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunCliAsync("detect", RepoPaths.Audio("computer_real_1.wav"), "-m", RepoPaths.NotWakeWordModel);

        CliAssert.FailsWith(result, 4, "not_wakeword.onnx", "wakeword.contract");
    }

    [Fact]
    public async Task UnknownWordIsAModelErrorListingWhatThereIs()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunCliAsync("detect", RepoPaths.Audio("computer_real_1.wav"), "--word", "banana", "--models-dir", Path.GetDirectoryName(RepoPaths.TinyModel)!);

        CliAssert.FailsWith(result, 4, "no model for the word \"banana\"", "available: computer");
    }

    [Theory]
    [InlineData("--thresholds", "0.3,1.5", "--thresholds: '1.5' is not a number in [0, 1]")]
    [InlineData("--thresholds", "abc", "--thresholds: 'abc' is not a number in [0, 1]")]
    [InlineData("--consecutive", "0", "--consecutive must be at least 1, got 0")]
    [InlineData("--refractory", "-1", "--refractory must be a number of seconds >= 0, got -1")]
    [InlineData("--rate", "5", "--rate must be between 1000 and 384000, got 5")]
    [InlineData("--no-such-option", "1", "--no-such-option")]
    public async Task BadOptionIsAUsageError(string option, string value, string message)
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunCliAsync("detect", RepoPaths.Audio("computer_real_1.wav"), "-m", RepoPaths.TinyModel, option, value);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.StderrLines[0]);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task RateWithAFileIsAUsageError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunCliAsync("detect", RepoPaths.Audio("computer_real_1.wav"), "-m", RepoPaths.TinyModel, "--rate", "8000");

        CliAssert.FailsWith(result, 2, "--rate and --channels describe raw PCM on stdin");
    }

    [Fact]
    public async Task MissingInputAndUnknownCommandAreUsageErrors()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult noInput = await apps.RunCliAsync("detect");
        ProcessResult unknown = await apps.RunCliAsync("listen-to-everything");

        Assert.Equal(2, noInput.ExitCode);
        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith("wakeword: ", noInput.StderrLines[0]);
        Assert.Contains("listen-to-everything", unknown.Stderr);
    }

    [Theory]
    [InlineData("frob", "--help")]
    [InlineData("frob", "-h")]
    [InlineData("detect", "frob", "extra", "--help")]
    public async Task HelpForAnUnknownCommandIsAUsageErrorNotTheRootHelp(params string[] args)
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunCliAsync(args);

        CliAssert.FailsWith(result, 2, "Unrecognized command or argument");
    }

    [Fact]
    public async Task HelpDocumentsTheExitCodes()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult root = await apps.RunCliAsync("--help");
        ProcessResult detect = await apps.RunCliAsync("detect", "--help");

        Assert.Equal(0, root.ExitCode);
        Assert.Equal(0, detect.ExitCode);
        foreach (ProcessResult help in new[] { root, detect })
        {
            Assert.Contains("2 usage error, 3 input audio error, 4 model error", help.Stdout);
        }
    }
}
