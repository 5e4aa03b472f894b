using WakeWord.EndToEnd.Tests.Infrastructure;
using WakeWord.Tests.Support;

namespace WakeWord.EndToEnd.Tests;

/// <summary>
/// The published service capturing from a real PulseAudio server (Audio:Source=microphone), through the pulse backend
/// and through ALSA's "pulse" device: a recording of the wake word played with paplay into the server's null sink
/// (whose monitor is the default source) must give exactly one wake event, also after the sound server was killed and
/// restarted under the running service. The daemon is private to the test (tests/scripts/start-pulseaudio.sh) and is
/// stopped by its pid. Tests with models/computer.onnx skip while it is absent; the tiny.onnx one checks the plumbing now.
/// </summary>
[Collection(CaptureEndToEndTests.Collection)]
public sealed class CaptureEndToEndTests : IDisposable
{
    public const string Collection = "PulseAudio capture end to end";
    private const string WakeLine = WakeLogLine.Computer;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly PulseDaemon? _pulse = PulseDaemon.Available ? new PulseDaemon() : null;
    private readonly string _scratch = Directory.CreateTempSubdirectory("wakeword-capture-e2e-").FullName;

    public static TheoryData<string, string> Backends => new()
    {
        { "pulse", "default" },
        { "alsa", "pulse" },
    };

    public void Dispose()
    {
        _pulse?.Dispose();
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (IOException)
        {
            // Harmless leftover.
        }
    }

    [PulseTheory(needsShippedModel: true)]
    [MemberData(nameof(Backends))]
    public async Task Played_wake_word_is_detected_exactly_once(string backend, string device)
    {
        await using ServiceProcess service = await StartServiceAsync(backend, device, []);

        PlayWakeWord("computer_real_1.wav");

        string output = await WaitForWakeLinesAsync(service, 1);
        Assert.Single(Lines(output), l => l.Contains(WakeLine, StringComparison.Ordinal));
    }

    [PulseTheory(needsShippedModel: true)]
    [MemberData(nameof(Backends))]
    public async Task Sound_server_killed_and_restarted_under_the_service_is_survived(string backend, string device)
    {
        string output = await DetectAfterServerRestartAsync(backend, device, []);
        Assert.Single(Lines(output), l => l.Contains(WakeLine, StringComparison.Ordinal));
    }

    [PulseTheory(needsShippedModel: false)]
    [MemberData(nameof(Backends))]
    public async Task Sound_server_restart_is_survived_with_the_tiny_model(string backend, string device)
    {
        // Until models/computer.onnx lands: the same restart, with tiny.onnx at 0.3 (it fires, perhaps more than once).
        string output = await DetectAfterServerRestartAsync(backend, device, TinyModel);
        Assert.Contains(WakeLine, output, StringComparison.Ordinal);
    }

    [PulseTheory(needsShippedModel: false)]
    [InlineData("pulse", "default")]
    public async Task A_frozen_sound_server_is_logged_as_a_stall_and_the_service_hears_again_once_it_runs(string backend, string device)
    {
        // SIGSTOP keeps the server's socket open and silent: no error ever comes. The capture's stall timeout (2 s) must
        // say so, the reopen attempts must not hang on the frozen server, and after SIGCONT the service must hear again,
        // with no service manager to restart it.
        await using ServiceProcess service = await StartServiceAsync(backend, device, TinyModel);

        _pulse!.Freeze();
        try
        {
            await service.WaitForLineAsync("Audio source DeviceLost", Wait);
            Assert.Contains("delivered no audio for 2.0 s", service.Output, StringComparison.Ordinal);
            await service.WaitForLineAsync("did not answer within 2.0 s", Wait); // a reopen gave up too, and was retried
        }
        finally
        {
            _pulse.Thaw();
        }

        await service.WaitForLineAsync("Audio source DeviceBack", Wait);
        await ServiceStatusProbe.WaitForMoreAudioAsync(SocketPath, 0.3, Wait, () => service.Output);
        int before = WakeLogLine.CountIn(service.Output);
        PlayWakeWord("computer_real_2.wav");
        await WaitForWakeLinesAsync(service, before + 1);
        Assert.False(service.HasExited, service.Output);
    }

    [PulseTheory(needsShippedModel: false)]
    [MemberData(nameof(Backends))]
    public async Task Tiny_model_hears_the_played_recording_through_the_capture_backend(string backend, string device)
    {
        // tiny.onnx is weak but fires at 0.3 on this recording (as in the file-source test): proves capture -> detector.
        await using ServiceProcess service = await StartServiceAsync(backend, device, TinyModel);

        PlayWakeWord("computer_real_1.wav");

        await WaitForWakeLinesAsync(service, 1);
    }

    [PulseTheory(needsShippedModel: false)]
    [InlineData("pulse", "wakeword_mic")]
    [InlineData("alsa", "pulse")]
    [InlineData("alsa", "default")]
    public async Task Devices_command_lists_the_capture_devices_of_a_backend(string backend, string expected)
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        ProcessResult result = await ProcessRunner.RunAsync(ProcessRunner.DotnetHost, [apps.CliDll, "devices", "--backend", backend], null, _pulse!.Environment);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(expected, result.StdoutLines);
    }

    [Fact]
    public async Task Devices_command_refuses_a_backend_this_platform_lacks_and_a_server_that_is_not_there()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string other = OperatingSystem.IsWindows() ? "alsa" : "wasapi";
        ProcessResult wrong = await apps.RunCliAsync("devices", "--backend", other);
        Assert.True(wrong.ExitCode == 2, wrong.ToString());
        Assert.Contains($"'{other}' needs", wrong.Stderr, StringComparison.Ordinal);

        if (OperatingSystem.IsLinux() && PulseDaemon.Available)
        {
            var nowhere = new Dictionary<string, string> { ["PULSE_SERVER"] = $"unix:{_scratch}/no-such-socket" };
            ProcessResult down = await ProcessRunner.RunAsync(ProcessRunner.DotnetHost, [apps.CliDll, "devices", "--backend", "pulse"], null, nowhere);
            Assert.True(down.ExitCode == 3, down.ToString());
            Assert.StartsWith("wakeword: Cannot list pulse capture devices", down.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", down.Stderr, StringComparison.Ordinal);
        }
    }

    private static string[] TinyModel =>
    [
        "--Models:Active:0:Word=",
        $"--Models:Active:0:Path={RepoPaths.TinyModel}",
        "--Models:Active:0:Threshold=0.3",
    ];

    /// <summary>Kills the sound server under a running service, restarts it, plays the wake word; returns the service output.</summary>
    private async Task<string> DetectAfterServerRestartAsync(string backend, string device, string[] modelArguments)
    {
        await using ServiceProcess service = await StartServiceAsync(backend, device, modelArguments);

        _pulse!.Kill();
        await service.WaitForLineAsync("Audio source DeviceLost", Wait);
        // The outage itself: the service retries against nothing at least twice before the server comes back.
        await service.WaitForLineAsync(" Retry 2 in ", Wait);
        _pulse.Start();
        await service.WaitForLineAsync("Audio source DeviceBack", Wait);
        await ServiceStatusProbe.WaitForMoreAudioAsync(SocketPath, 0.3, Wait, () => service.Output); // capture flows again
        // The wake must come from the recording played after the restart. The shipped-model tests also assert that it is
        // the only one; tiny.onnx is no real detector and may already have fired on the reconnect's clicks.
        int before = WakeLogLine.CountIn(service.Output);
        PlayWakeWord("computer_real_2.wav");

        string output = await WaitForWakeLinesAsync(service, before + 1);
        Assert.False(service.HasExited, output);
        return output;
    }

    private async Task<ServiceProcess> StartServiceAsync(string backend, string device, string[] modelArguments, Dictionary<string, string>? environment = null)
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        ServiceProcess service = apps.StartService(environment ?? _pulse!.Environment,
        [
            $"--Events:PipeName={Path.Combine(_scratch, "ev.sock")}",
            $"--Serilog:WriteTo:1:Args:path={Path.Combine(_scratch, "logs", "wakeword-.log")}",
            "--Audio:Source=microphone",
            $"--Audio:Backend={backend}",
            $"--Audio:Device={device}",
            "--Audio:ChunkMilliseconds=20",
            .. modelArguments,
        ]);
        await service.WaitForLineAsync("Listening on", Wait);
        await service.WaitForLineAsync("is listening", Wait); // the capture thread opened the device
        await ServiceStatusProbe.WaitForMoreAudioAsync(SocketPath, 0.3, Wait, () => service.Output); // and audio reaches the models
        return service;
    }

    /// <summary>Waits for <paramref name="count"/> wake lines, then for 2 s more of scored audio, so that a second, wrong
    /// one would show.</summary>
    private async Task<string> WaitForWakeLinesAsync(ServiceProcess service, int count)
    {
        await service.WaitForLineAsync(WakeLine, Wait, skip: count - 1);
        await ServiceStatusProbe.WaitForMoreAudioAsync(SocketPath, 2.0, Wait, () => service.Output);
        return service.Output;
    }

    private string SocketPath => Path.Combine(_scratch, "ev.sock");

    private void PlayWakeWord(string recording) => _pulse!.Play(RepoPaths.Audio(recording));

    private static string[] Lines(string output) => output.Split('\n');

    /// <summary>Skipped, with the reason, when PulseAudio's tools are missing or (if needed) models/computer.onnx is absent.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class PulseTheoryAttribute : TheoryAttribute
    {
        public PulseTheoryAttribute(bool needsShippedModel)
        {
            if (!PulseDaemon.Available)
            {
                Skip = "PulseAudio is not installed: apt-get install pulseaudio pulseaudio-utils libasound2-plugins";
            }
            else if (needsShippedModel && !File.Exists(RepoPaths.ShippedModel))
            {
                Skip = ShippedModel.SkipReason;
            }
        }
    }

    /// <summary>A private PulseAudio daemon started and stopped (by pid) with tests/scripts/{start,stop}-pulseaudio.sh.</summary>
    private sealed class PulseDaemon : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "wakeword-pulse-e2e-" + Guid.NewGuid().ToString("N")[..8]);

        public PulseDaemon() => Start();

        public static bool Available { get; } = OperatingSystem.IsLinux() && SearchPath.HasAll("pulseaudio", "pactl", "paplay");

        /// <summary>What a client of this daemon needs in its environment.</summary>
        public Dictionary<string, string> Environment => new()
        {
            ["PULSE_SERVER"] = $"unix:{_folder}/native",
            ["PULSE_CLIENTCONFIG"] = $"{_folder}/client.conf",
            ["PULSE_RUNTIME_PATH"] = $"{_folder}/runtime", // else each client makes a pulse-* folder in its TMPDIR
        };

        public void Start() => Run(Script("start-pulseaudio.sh"), _folder);

        public void Kill() => Run(Script("stop-pulseaudio.sh"), _folder, "--keep");

        public void Play(string wav) => Run("paplay", "--device=wakeword_sink", wav);

        /// <summary>Stops the daemon's process (SIGSTOP) without closing anything, as a hung server; <see cref="Thaw"/> lets it run on.</summary>
        public void Freeze() => Run("kill", "-STOP", File.ReadAllText(Path.Combine(_folder, "pid")).Trim());

        public void Thaw() => Run("kill", "-CONT", File.ReadAllText(Path.Combine(_folder, "pid")).Trim());

        public void Dispose() => Run(Script("stop-pulseaudio.sh"), _folder);

        private static string Script(string name) => Path.Combine(RepoPaths.Root, "tests", "scripts", name);

        private void Run(string file, params string[] arguments)
        {
            ProcessResult result = ProcessRunner.Run(file, arguments, Environment, TimeSpan.FromSeconds(30));
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Stderr}");
            }
        }
    }
}
