using System.Diagnostics;

namespace WakeWord.Audio.Tests.Capture;

/// <summary>
/// A real PulseAudio daemon for the capture tests, started by tests/scripts/start-pulseaudio.sh in a temp dir (null
/// sink "wakeword_sink" whose monitor is remapped to the default source "wakeword_mic") and stopped by its pid.
/// PULSE_SERVER is set for this process (native code included) and its children, so both the pulse backend and ALSA's
/// "pulse" device reach it. <see cref="Kill"/> and <see cref="Restart"/> let fault tests take the server away.
/// </summary>
public sealed class PulseServerFixture : IDisposable
{
    public const string SinkName = "wakeword_sink";
    public const string SourceName = "wakeword_mic";

    public PulseServerFixture()
    {
        if (!PulseFactAttribute.ToolsPresent)
        {
            return;
        }

        Directory = Path.Combine(Path.GetTempPath(), "wakeword-pulse-" + Guid.NewGuid().ToString("N")[..8]);
        Start();
        NativeEnvironment.Set("PULSE_SERVER", $"unix:{Directory}/native");
        NativeEnvironment.Set("PULSE_CLIENTCONFIG", $"{Directory}/client.conf");
        // libpulse's runtime folder: without it (no XDG_RUNTIME_DIR in a test run) every client made a pulse-* folder
        // in /tmp and left it there.
        NativeEnvironment.Set("PULSE_RUNTIME_PATH", $"{Directory}/runtime");
    }

    public string Directory { get; } = string.Empty;

    public int Pid { get; private set; }

    public static string ScriptsFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "scripts");
                if (File.Exists(Path.Combine(candidate, "start-pulseaudio.sh")))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException("tests/scripts/start-pulseaudio.sh not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Kills the daemon (as a crash or `pulseaudio -k` would); clients see their connection drop.</summary>
    public void Kill() => Run(Path.Combine(ScriptsFolder, "stop-pulseaudio.sh"), Directory, "--keep");

    /// <summary>Stops the daemon's process (SIGSTOP) with its socket open: clients wait on it, as on a hung server.</summary>
    public void Freeze() => Run("kill", "-STOP", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Lets a frozen daemon run on (SIGCONT).</summary>
    public void Thaw() => Run("kill", "-CONT", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Starts the daemon again on the same socket.</summary>
    public void Restart() => Start();

    /// <summary>Runs pactl against this server; returns its stdout.</summary>
    public string Pactl(params string[] args) => Run("pactl", args);

    /// <summary>
    /// Waits until the null sink has rendered more than <paramref name="ahead"/> beyond now (it does so, up to 2 s, when
    /// no stream listens to its monitor) and returns how far ahead it was; throws after <paramref name="timeout"/>.
    /// </summary>
    public TimeSpan WaitForSinkToRenderAhead(TimeSpan ahead, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        TimeSpan latest = TimeSpan.Zero;
        while (waited.Elapsed < timeout)
        {
            // pactl list sinks: "Latency: 1843210 usec, configured 2000000 usec" under the sink's name.
            string sinks = Pactl("list", "sinks");
            System.Text.RegularExpressions.Match m = System.Text.RegularExpressions.Regex.Match(
                sinks, $@"Name: {SinkName}\n(?:.*\n)*?\s*Latency: (\d+) usec");
            if (m.Success)
            {
                latest = TimeSpan.FromMicroseconds(long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
                if (latest > ahead)
                {
                    return latest;
                }
            }
        }

        throw new TimeoutException($"{SinkName} was never more than {ahead.TotalSeconds:F1} s ahead in {timeout.TotalSeconds:F0} s (last {latest.TotalSeconds:F2} s)");
    }

    /// <summary>The last lines of the daemon's log (times since its start; WW_PULSE_LOG_LEVEL=debug makes it say more).</summary>
    public string LogTail(int lines)
    {
        string path = Path.Combine(Directory, "pulseaudio.log");
        return File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(lines)) : "(no log at " + path + ")";
    }

    /// <summary>Plays a WAV into the null sink and waits until paplay is done.</summary>
    public void Play(string wavPath) => Run("paplay", "--device=" + SinkName, wavPath);

    /// <summary>Starts paplay without waiting.</summary>
    public Process PlayAsync(string wavPath) => StartProcess("paplay", "--device=" + SinkName, wavPath);

    public void Dispose()
    {
        if (Directory.Length > 0)
        {
            Run(Path.Combine(ScriptsFolder, "stop-pulseaudio.sh"), Directory);
        }
    }

    private void Start()
    {
        string output = Run(Path.Combine(ScriptsFolder, "start-pulseaudio.sh"), Directory);
        foreach (string line in output.Split('\n'))
        {
            if (line.StartsWith("PULSE_PID=", StringComparison.Ordinal))
            {
                Pid = int.Parse(line["PULSE_PID=".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    private static Process StartProcess(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + file);
    }

    private static string Run(string file, params string[] args)
    {
        using Process p = StartProcess(file, args);
        Task<string> err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(30_000))
        {
            p.Kill();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 30 s");
        }

        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {err.Result}");
        }

        return stdout;
    }
}
