using System.Diagnostics;
using System.Text;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>A running service process whose stdout and stderr lines a test can wait for.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly object gate = new();
    private readonly SemaphoreSlim changed = new(0);

    private ServiceProcess(Process process)
    {
        this.process = process;
    }

    public Stream StandardInput => process.StandardInput.BaseStream;

    public bool HasExited => process.HasExited;

    public int Id => process.Id;

    /// <summary>The process's resident set as the kernel counts it (VmRSS in /proc/PID/status), in bytes.</summary>
    public long ResidentBytes() => ProcStatusKb("VmRSS:") * 1024;

    /// <summary>Threads of the process (/proc/PID/status).</summary>
    public int ThreadCount() => (int)ProcStatusKb("Threads:");

    /// <summary>Open file descriptors of the process, sockets included (/proc/PID/fd).</summary>
    public int OpenFileCount() => Directory.GetFileSystemEntries($"/proc/{process.Id}/fd").Length;

    private long ProcStatusKb(string key)
    {
        foreach (string line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no {key} in /proc/{process.Id}/status");
    }

    /// <summary>Sends a POSIX signal (TERM, INT, HUP...) as a service manager or a terminal would.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", name, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -s {name} {process.Id} failed ({kill.ExitCode})");
        }
    }

    public string Output
    {
        get
        {
            lock (gate)
            {
                return string.Join('\n', lines);
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
        while (true)
        {
            lock (gate)
            {
                string? line = lines.Where(l => l.Contains(text, StringComparison.Ordinal)).Skip(skip).FirstOrDefault();
                if (line is not null)
                {
                    return line;
                }
            }

            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || (process.HasExited && !await changed.WaitAsync(200)))
            {
                throw new TimeoutException($"no line containing \"{text}\" (process {(process.HasExited ? $"exited {process.ExitCode}" : "running")}); output:\n{Output}");
            }

            await changed.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        changed.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            lines.Add(line);
        }

        changed.Release();
    }
}
