using WakeWord.EndToEnd.Tests.Infrastructure;

namespace WakeWord.EndToEnd.Tests.Service;

/// <summary>The published service refuses bad settings, models and audio at start: exit code, message naming the key.</summary>
public sealed class ServiceStartupTests : IDisposable
{
    private readonly ServiceScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("--Models:Active:0:Threshold=1.5", "Models:Active:0:Threshold = 1.5 must be in [0, 1]")]
    [InlineData("--Models:Active:0:Threshold=-0.1", "Models:Active:0:Threshold = -0.1 must be in [0, 1]")]
    [InlineData("--Models:Active:0:RefractorySeconds=-1", "Models:Active:0:RefractorySeconds = -1 must be a number of seconds >= 0")]
    [InlineData("--Models:Active:0:ConsecutiveSteps=0", "Models:Active:0:ConsecutiveSteps = 0 must be at least 1")]
    [InlineData("--Audio:Source=speaker", "Audio:Source = 'speaker' is not a known audio source")]
    [InlineData("--Audio:Source=file", "Audio:FilePath is required when Audio:Source is 'file'")]
    [InlineData("--Audio:Backend=oss", "Audio:Backend = 'oss' is not a known backend")]
    [InlineData("--Audio:ChunkMilliseconds=0", "Audio:ChunkMilliseconds = 0 must be between 10 and 1000")]
    [InlineData("--Audio:RealTime=yes", "Audio:RealTime = 'yes' is not true or false")]
    [InlineData("--Audio:ChunkMilliseconds=abc", "Audio:ChunkMilliseconds = 'abc' is not a whole number")]
    [InlineData("--Models:Active:0:Threshold=abc", "Models:Active:0:Threshold = 'abc' is not a number")]
    [InlineData("--Models:Active:0:Threshold=0,5", "Models:Active:0:Threshold = '0,5' is not a number (with '.' as the decimal point")]
    [InlineData("--Models:Active:0:RefractorySeconds=1s", "Models:Active:0:RefractorySeconds = '1s' is not a number")]
    [InlineData("--Models:Active:0:Treshold=0.5", "Models:Active:0:Treshold is not a setting; Models:Active:0 takes Path, Word, Threshold")]
    [InlineData("--Events:MaxClients=many", "Events:MaxClients = 'many' is not a whole number")]
    [InlineData("--Metrics:PrometheusUrl=http://0.0.0.0:9464/", "Metrics:PrometheusUrl = 'http://0.0.0.0:9464/' must be on a loopback address")]
    [InlineData("--Metrics:PrometheusUrl=https://127.0.0.1:9464/", "Metrics:PrometheusUrl = 'https://127.0.0.1:9464/' must be an http URL with a port")]
    [InlineData("--Metrics:PrometheusUrl=http://127.0.0.1:9464/stats", "Metrics:PrometheusUrl = 'http://127.0.0.1:9464/stats' must have no path")]
    [InlineData("--Metrics:PrometheusUri=http://127.0.0.1:9464/", "Metrics:PrometheusUri is not a setting")]
    public async Task InvalidSettingExitsWithAMessageNamingTheKey(string setting, string message)
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunServiceAsync(null, null, _scratch.Arguments(ServiceScratch.TinyModel(setting)));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stdout + result.Stderr);
        Assert.Contains("invalid configuration", result.Stdout + result.Stderr);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr);
    }

    [Theory]
    [InlineData("--frobnicate", "'--frobnicate' on the command line is not a setting")]
    [InlineData("--Audio:Source", "'--Audio:Source' on the command line has no value")]
    [InlineData("verbose", "'verbose' on the command line is not a setting")]
    public async Task UnknownOrValuelessCommandLineOptionIsRefusedInsteadOfSwallowingTheNextOne(string option, string message)
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string pipe = Path.Combine(_scratch.Folder, "other.sock");

        // The host's parser would take "--Events:PipeName=..." as the value of the option before it.
        ProcessResult result = await apps.RunServiceAsync(null, null, [.. _scratch.Arguments(ServiceScratch.TinyModel("--Audio:Source=stdin")), option, $"--Events:PipeName={pipe}"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stdout + result.Stderr);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr);
        Assert.False(File.Exists(pipe));
    }

    [Fact]
    public async Task MissingMicrophoneIsNeverCalledListeningAndTheLogSaysItIsWaitingForIt()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the ALSA backend; WASAPI has its own hardware tests
        }

        PublishedApps apps = await PublishedApps.GetAsync();
        await using ServiceProcess service = apps.StartService(null, _scratch.Arguments(ServiceScratch.TinyModel(
            "--Audio:Source=microphone", "--Audio:Backend=alsa", "--Audio:Device=wakeword-no-such-device")));

        string missing = await service.WaitForLineAsync("Audio source DeviceMissing");
        await service.WaitForLineAsync("Retry 2 in");

        Assert.Contains("alsa:wakeword-no-such-device is not there yet", missing, StringComparison.Ordinal);
        Assert.DoesNotContain("DeviceLost", service.Output, StringComparison.Ordinal); // it never had the device
        Assert.Contains("Opening microphone alsa:wakeword-no-such-device for \"computer\" (tiny): not listening until it opens", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Listening on", service.Output, StringComparison.Ordinal);
        Assert.False(service.HasExited, service.Output);
    }

    [Fact]
    public async Task WithoutAnySettingsFileTheServiceSaysSoAndStillLogs()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // symbolic links to the published files need privileges there
        }

        string bare = await BareServiceAsync();

        ProcessResult result = await ProcessRunner.RunAsync(ProcessRunner.DotnetHost,
            [Path.Combine(bare, "wakeword-service.dll"), .. ServiceScratch.TinyModel("--Audio:Source=file",
                $"--Audio:FilePath={RepoPaths.Audio("computer_real_1.wav")}", "--Audio:ExitAtEnd=true",
                $"--Events:PipeName={Path.Combine(_scratch.Folder, "bare.sock")}")],
            timeout: TimeSpan.FromMinutes(1));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"No settings file: {Path.Combine(bare, "appsettings.json")} is missing", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Listening on file:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInputThatEndsAtOnceStopsTheServiceOnlyAfterItHasStarted()
    {
        // Empty stdin with Audio:ExitAtEnd: the end came while the host was still starting, and the log said
        // "Application is shutting down..." before "Application started".
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunServiceAsync(null, [], _scratch.Arguments(ServiceScratch.TinyModel("--Audio:Source=stdin", "--Audio:ExitAtEnd=true")));

        Assert.True(result.ExitCode == 0, result.ToString());
        int started = result.Stdout.IndexOf("Application started", StringComparison.Ordinal);
        int stopping = result.Stdout.IndexOf("Application is shutting down", StringComparison.Ordinal);
        Assert.True(started >= 0 && stopping > started, result.Stdout);
    }

    [RequiresShippedModelFact]
    public async Task WithoutASettingsFileTheBuiltInModelIsComputerAlone()
    {
        // The README's default for Models:Active is [{ "Word": "computer" }]; without a settings file the service used
        // to run every model in the folder (activate.onnx too).
        if (OperatingSystem.IsWindows())
        {
            return; // symbolic links to the published files need privileges there
        }

        string bare = await BareServiceAsync();
        Assert.True(File.Exists(Path.Combine(bare, "models", "activate.onnx")), "the shipped folder should hold a second model");

        ProcessResult result = await ProcessRunner.RunAsync(ProcessRunner.DotnetHost,
            [Path.Combine(bare, "wakeword-service.dll"), "--Audio:Source=file", $"--Audio:FilePath={RepoPaths.Audio("computer_real_1.wav")}",
                "--Audio:ExitAtEnd=true", $"--Events:PipeName={Path.Combine(_scratch.Folder, "bare.sock")}"],
            timeout: TimeSpan.FromMinutes(1));

        Assert.True(result.ExitCode == 0, result.ToString());
        string listening = Assert.Single(result.StdoutLines, l => l.Contains("Listening on file:", StringComparison.Ordinal));
        Assert.EndsWith("for \"computer\" (computer)", listening, StringComparison.Ordinal);
        Assert.DoesNotContain("activate", result.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// The published service without its appsettings.json. The content root is the folder the binary really is in
    /// (links to files resolve to the original), so the files are copied; the big folders (runtimes/, models/) are linked.
    /// </summary>
    private async Task<string> BareServiceAsync()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string bare = Directory.CreateDirectory(Path.Combine(_scratch.Folder, "bare")).FullName;
        foreach (string file in Directory.EnumerateFiles(apps.ServiceDirectory))
        {
            if (Path.GetFileName(file) != "appsettings.json")
            {
                File.Copy(file, Path.Combine(bare, Path.GetFileName(file)));
            }
        }

        foreach (string folder in Directory.EnumerateDirectories(apps.ServiceDirectory))
        {
            Directory.CreateSymbolicLink(Path.Combine(bare, Path.GetFileName(folder)), folder);
        }

        return bare;
    }

    [Fact]
    public async Task SettingsFileThatIsNotJsonNamesTheLineAndPosition()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string settings = Path.Combine(_scratch.Folder, "bad.json");
        await File.WriteAllTextAsync(settings, "{\n  \"Audio\": { \"Source\": \"stdin\",, }\n}");

        ProcessResult result = await apps.RunServiceAsync(new Dictionary<string, string> { ["WAKEWORD_CONFIG"] = settings }, null, _scratch.Arguments());

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("bad.json", result.Stdout);
        Assert.Contains("line 2, position", result.Stdout);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task SeveralBadValuesAreAllReported()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunServiceAsync(null, null, _scratch.Arguments(ServiceScratch.TinyModel("--Models:Active:0:Threshold=2", "--Audio:Source=nowhere")));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Models:Active:0:Threshold = 2", result.Stdout);
        Assert.Contains("Audio:Source = 'nowhere'", result.Stdout);
    }

    [Fact]
    public async Task MissingModelFileIsAConfigurationError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunServiceAsync(null, null, _scratch.Arguments("--Models:Active:0:Word=banana"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("Models:Active:0:Word = 'banana': model file not found", result.Stdout);
        Assert.Contains("banana.onnx", result.Stdout);
    }

    [Fact]
    public async Task FileSourceWithAMissingFileIsAConfigurationError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string missing = Path.Combine(_scratch.Folder, "missing.wav");

        ProcessResult result = await apps.RunServiceAsync(null, null, _scratch.Arguments(ServiceScratch.TinyModel("--Audio:Source=file", $"--Audio:FilePath={missing}")));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"Audio:FilePath = '{missing}': file not found", result.Stdout);
    }

    [Fact]
    public async Task OnnxFileThatIsNotAWakeWordModelIsAModelError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunServiceAsync(null, null, _scratch.Arguments(
            "--Models:Active:0:Word=", $"--Models:Active:0:Path={RepoPaths.NotWakeWordModel}", "--Audio:Source=stdin"));

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("not_wakeword.onnx", result.Stdout);
        Assert.Contains("wakeword.contract", result.Stdout);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task CorruptWavIsAnAudioError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string corrupt = Path.Combine(_scratch.Folder, "corrupt.wav");
        await File.WriteAllTextAsync(corrupt, "not a wav at all");

        ProcessResult result = await apps.RunServiceAsync(null, null, _scratch.Arguments(ServiceScratch.TinyModel("--Audio:Source=file", $"--Audio:FilePath={corrupt}")));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"{corrupt}: not a valid WAV file", result.Stdout);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task SettingsFileThatIsNotJsonIsAConfigurationError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string settings = Path.Combine(_scratch.Folder, "broken.json");
        await File.WriteAllTextAsync(settings, "{ \"Models\": ");

        ProcessResult result = await apps.RunServiceAsync(new Dictionary<string, string> { ["WAKEWORD_CONFIG"] = settings }, null, _scratch.Arguments());

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"Failed to load configuration from file '{settings}'", result.Stdout);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task MissingSettingsFileIsAConfigurationError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string settings = Path.Combine(_scratch.Folder, "none.json");

        ProcessResult result = await apps.RunServiceAsync(new Dictionary<string, string> { ["WAKEWORD_CONFIG"] = settings }, null, _scratch.Arguments());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"WAKEWORD_CONFIG = '{settings}': file not found", result.Stdout);
    }

    [Fact]
    public async Task PathAndWordTogetherAreAConfigurationErrorThatSaysHowToFixIt()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunServiceAsync(null, null, _scratch.Arguments($"--Models:Active:0:Path={RepoPaths.TinyModel}"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Models:Active:0: give either Path or Word, not both", result.Stdout);
        Assert.Contains("also set Models:Active:0:Word to empty", result.Stdout);
    }
}
