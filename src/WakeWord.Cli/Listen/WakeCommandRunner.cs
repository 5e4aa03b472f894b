using System.Diagnostics;
using System.Globalization;
using WakeWord.Client.Protocol;

namespace WakeWord.Cli.Listen;

/// <summary>
/// `listen --exec`: runs a shell command per wake event (/bin/sh -c on Unix, cmd.exe /c on Windows) with the event in
/// WAKEWORD_* environment variables. Commands run concurrently with listening, so a slow script never delays the next
/// event; their output goes to this process's stdout/stderr.
/// </summary>
public sealed class WakeCommandRunner
{
    private readonly string _command;
    private readonly TextWriter _error;
    private readonly List<Task> _running = [];

    public WakeCommandRunner(string command, TextWriter error)
    {
        _command = command;
        _error = error;
    }

    /// <summary>The environment a command sees for <paramref name="wake"/>.</summary>
    public static IReadOnlyDictionary<string, string> Environment(WakeEventMessage wake) => new Dictionary<string, string>
    {
        ["WAKEWORD_WORD"] = wake.Word,
        ["WAKEWORD_SCORE"] = wake.Score.ToString("0.####", CultureInfo.InvariantCulture),
        ["WAKEWORD_THRESHOLD"] = wake.Threshold.ToString("0.####", CultureInfo.InvariantCulture),
        ["WAKEWORD_TIME"] = ListenPrinter.FormatTime(wake.Time),
        ["WAKEWORD_MODEL"] = wake.ModelId,
        ["WAKEWORD_SEQUENCE"] = wake.Sequence.ToString(CultureInfo.InvariantCulture),
        ["WAKEWORD_AUDIO_OFFSET_S"] = wake.AudioOffsetS.ToString("0.###", CultureInfo.InvariantCulture),
    };

    /// <summary>Starts the command for one event and returns at once.</summary>
    public void Start(WakeEventMessage wake)
    {
        ProcessStartInfo info = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", _command } }
            : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", _command } };
        info.UseShellExecute = false;
        foreach ((string? name, string? value) in Environment(wake))
        {
            info.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("no process started");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            _error.WriteLine($"wakeword: --exec could not start '{_command}': {e.Message}");
            return;
        }

        lock (_running)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(WaitAsync(process, wake.Sequence));
        }
    }

    /// <summary>Waits for the commands still running (on exit), at most <paramref name="timeout"/>.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        Task[] running;
        lock (_running)
        {
            running = [.. _running];
        }

        await Task.WhenAny(Task.WhenAll(running), Task.Delay(timeout)).ConfigureAwait(false);
    }

    private async Task WaitAsync(Process process, long sequence)
    {
        using (process)
        {
            await process.WaitForExitAsync().ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                _error.WriteLine($"wakeword: --exec command for wake #{sequence} exited with {process.ExitCode}");
            }
        }
    }
}
