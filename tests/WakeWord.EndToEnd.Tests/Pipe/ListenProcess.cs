using System.Diagnostics;

namespace WakeWord.EndToEnd.Tests.Pipe;

/// <summary>A running `wakeword listen`: its stdout is collected from the start; killed on dispose if still running.</summary>
internal sealed class ListenProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;

    public ListenProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
    }

    /// <summary>Waits for a clean exit (it was started with --count) and returns what it printed on stdout.</summary>
    public async Task<string> FinishAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task<string> stderr = _process.StandardError.ReadToEndAsync(timeout.Token);
        await _process.WaitForExitAsync(timeout.Token);
        Assert.True(_process.ExitCode == 0, $"listen exited {_process.ExitCode}: {await stderr}");
        return await _stdout;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
