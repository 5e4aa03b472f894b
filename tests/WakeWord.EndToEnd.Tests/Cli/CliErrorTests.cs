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

        CliAssert.FailsWith(result, 3, "stdin: expected raw 16-bit", "got a WAV file", "Pass the file path instead of '-'");
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
    [InlineData("--thresholds", "0.3,1.5", "--thresholds takes comma-separated numbers from 0 to 1", "got '0.3,1.5' ('1.5' is not a number from 0 to 1)")]
    [InlineData("--thresholds", "abc", "--thresholds takes comma-separated numbers from 0 to 1", "got 'abc'")]
    [InlineData("--thresholds", "0.3,,0.5", "--thresholds takes comma-separated numbers", "got '0.3,,0.5' (an empty entry in the list)")]
    [InlineData("--thresholds", "0,5", "--thresholds takes", "got '0,5' (the decimal point is '.': write 0.5 for one threshold")]
    [InlineData("--consecutive", "0", "--consecutive takes a whole number of steps from 1 to 1000; got '0'")]
    [InlineData("--consecutive", "abc", "--consecutive takes a whole number of steps from 1 to 1000; got 'abc'")]
    [InlineData("--consecutive", "99999999999", "--consecutive takes a whole number of steps from 1 to 1000; got '99999999999'")]
    [InlineData("--refractory", "-1", "--refractory takes a number of seconds from 0 to 3600, with '.' as the decimal point; got '-1'")]
    [InlineData("--refractory", "abc", "--refractory takes a number of seconds", "got 'abc'")]
    [InlineData("--refractory", "0,5", "--refractory takes a number of seconds", "got '0,5' (the decimal point is '.': write 0.5)")]
    [InlineData("--rate", "5", "--rate takes a whole number of Hz from 1000 to 384000; got '5'")]
    [InlineData("--rate", "abc", "--rate takes a whole number of Hz from 1000 to 384000; got 'abc'")]
    [InlineData("--rate", "1e9", "--rate takes a whole number of Hz from 1000 to 384000; got '1e9'")]
    [InlineData("--channels", "abc", "--channels takes a whole number of channels from 1 to 32; got 'abc'")]
    [InlineData("--json=yes", null, "--json takes no value (it is a switch: give it alone); got 'yes'")]
    [InlineData("--model", "", "--model takes a path to a model file (.onnx); got an empty value")]
    [InlineData("--parallel", "0", "--parallel takes a whole number of inputs from 1 to 1024; got '0'")]
    [InlineData("--parallel", "abc", "--parallel takes a whole number of inputs from 1 to 1024; got 'abc'")]
    [InlineData("--no-such-option", "1", "Unrecognized command or argument '--no-such-option' (see wakeword detect --help)")]
    public async Task BadOptionIsAUsageError(string option, string? value, params string[] message)
    {
        // Values a user mistypes (empty, out of range, not a number, decimal commas, a value on a switch): each must be a
        // one-line usage error that names the option, never an "Unhandled exception" (exit 134) or a .NET type's name.
        PublishedApps apps = await PublishedApps.GetAsync();
        string[] given = value is null ? [option] : [option, value];

        ProcessResult result = await apps.RunCliAsync(["detect", RepoPaths.Audio("computer_real_1.wav"), "-m", RepoPaths.TinyModel, .. given]);

        CliAssert.FailsWith(result, 2, message);
        Assert.Single(result.StderrLines);
    }

    [Theory]
    [InlineData("--consecutive", "abc", "--consecutive takes a whole number of steps from 1 to 1000; got 'abc'")]
    [InlineData("--refractory", "x", "--refractory takes a number of seconds from 0 to 3600, with '.' as the decimal point; got 'x'")]
    [InlineData("--target-fa", "0,5", "--target-fa takes a number of false accepts per hour above 0 up to 10000", "(the decimal point is '.': write 0.5)")]
    public async Task BadTuneOptionIsAUsageError(string option, string value, params string[] message)
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunCliAsync("tune", "--room", RepoPaths.Audio("negatives_long.wav"), "-m", RepoPaths.TinyModel, option, value);

        CliAssert.FailsWith(result, 2, message);
        Assert.Single(result.StderrLines);
    }

    [Theory]
    [InlineData("listen", "--count", "abc", "--count takes a whole number of events from 1 to 1000000; got 'abc'")]
    [InlineData("status", "--timeout", "0,5", "--timeout takes a number of seconds above 0 up to 3600", "(the decimal point is '.': write 0.5)")]
    [InlineData("devices", "--backend", "nope", "--backend takes one of auto, alsa, pulse, wasapi; got 'nope'")]
    public async Task BadOptionOfAnotherCommandIsAUsageError(string command, string option, string value, params string[] message)
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunCliAsync(command, option, value);

        CliAssert.FailsWith(result, 2, message);
        Assert.Single(result.StderrLines);
    }

    [Fact]
    public async Task StdinBesideAFileIsAUsageError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunCliAsync("detect", RepoPaths.Audio("computer_real_1.wav"), "-", "-m", RepoPaths.TinyModel);

        CliAssert.FailsWith(result, 2, "input takes WAV file paths, or - alone for raw PCM on stdin; got '", "(stdin is one stream: give '-' alone)");
    }

    [Fact]
    public async Task PlotOfSeveralFilesIsAUsageError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string png = Path.Combine(_folder, "plot.png");

        ProcessResult result = await apps.RunCliAsync("detect", RepoPaths.Audio("computer_real_1.wav"), RepoPaths.Audio("computer_real_2.wav"), "-m", RepoPaths.TinyModel, "--plot", png);

        CliAssert.FailsWith(result, 2, "--plot draws one input; got 2");
        Assert.False(File.Exists(png));
    }

    [Fact]
    public async Task AMissingFileAmongSeveralFailsBeforeAnyIsScored()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string missing = Path.Combine(_folder, "missing.wav");

        ProcessResult result = await apps.RunCliAsync("detect", RepoPaths.Audio("computer_real_1.wav"), missing, "-m", RepoPaths.TinyModel, "-t", "0.3");

        CliAssert.FailsWith(result, 3, missing, "file not found");
        Assert.Empty(result.StdoutLines);
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
        ProcessResult nothing = await apps.RunCliAsync();

        CliAssert.FailsWith(noInput, 2, "input is required: give WAV file paths, or - alone for raw PCM on stdin");
        // One line: not "Required command was not provided." before the real problem.
        CliAssert.FailsWith(unknown, 2, "Unrecognized command or argument 'listen-to-everything' (see wakeword --help)");
        CliAssert.FailsWith(nothing, 2, "Give one of the commands: detect, models, listen, status, tune, devices");
        Assert.All(new[] { noInput, unknown, nothing }, r => Assert.Single(r.StderrLines));
    }

    [Theory]
    [InlineData("frob", "--help")]
    [InlineData("frob", "-h")]
    [InlineData("models", "frob", "--help")]
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
