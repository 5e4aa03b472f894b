using System.Diagnostics;
using System.Text;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>A running service process whose stdout and stderr lines a test can wait for.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly object _gate = new();
    private readonly SemaphoreSlim _changed = new(0);

    private ServiceProcess(Process process)
    {
        _process = process;
    }

    public Stream StandardInput => _process.StandardInput.BaseStream;

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>The process's resident set as the kernel counts it (VmRSS in /proc/PID/status), in bytes.</summary>
    public long ResidentBytes() => ProcStatusKb("VmRSS:") * 1024;

    /// <summary>Threads of the process (/proc/PID/status).</summary>
    public int ThreadCount() => (int)ProcStatusKb("Threads:");

    /// <summary>Open file descriptors of the process, sockets included (/proc/PID/fd).</summary>
    public int OpenFileCount() => Directory.GetFileSystemEntries($"/proc/{_process.Id}/fd").Length;

    private long ProcStatusKb(string key)
    {
        foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no {key} in /proc/{_process.Id}/status");
    }

    /// <summary>Sends a POSIX signal (TERM, INT, HUP...) as a service manager or a terminal would.</summary>
    public void Signal(string name)
    {
        using Process kill = Process.Start(new ProcessStartInfo("kill", ["-s", name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -s {name} {_process.Id} failed ({kill.ExitCode})");
        }
    }

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public static ServiceProcess Start(ProcessStartInfo info)
    {
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => service.Add(e.Data);
        process.ErrorDataReceived += (_, e) => service.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Waits for a line containing <paramref name="text"/>; fails with the whole log when it does not come.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan? timeout = null, int skip = 0)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        bool drained = false;
        while (true)
        {
            lock (_gate)
            {
                string? line = _lines.Where(l => l.Contains(text, StringComparison.Ordinal)).Skip(skip).FirstOrDefault();
                if (line is not null)
                {
                    return line;
                }
            }

            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || drained)
            {
                throw new TimeoutException($"no line containing \"{text}\" (process {(_process.HasExited ? $"exited {_process.ExitCode}" : "running")}); output:\n{Output}");
            }

            if (_process.HasExited)
            {
                // Its last lines may still be on their way: WaitForExitAsync also waits for the output streams to end.
                using var cancel = new CancellationTokenSource(left);
                try
                {
                    await _process.WaitForExitAsync(cancel.Token);
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                }

                drained = true;
                continue;
            }

            await _changed.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The log lines carry their times: where a slow stop spent its time is in them.
            string[] lines = Output.Split('\n');
            throw new TimeoutException(
                $"the service did not exit within {timeout.TotalSeconds:F1} s (at {DateTime.Now:HH:mm:ss.fff}); its last lines:\n" +
                string.Join('\n', lines.TakeLast(40)));
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _changed.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
        }

        _changed.Release();
    }
}
