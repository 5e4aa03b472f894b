using System.Diagnostics;

namespace WakeWord.EndToEnd.Tests.Pipe;

/// <summary>A running `wakeword listen`: its stdout is collected from the start; killed on dispose if still running.</summary>
internal sealed class ListenProcess : IDisposable
{
    private readonly Process process;
    private readonly Task<string> stdout;

    public ListenProcess(Process process)
    {
        this.process = process;
        stdout = process.StandardOutput.ReadToEndAsync();
    }

    /// <summary>Waits for a clean exit (it was started with --count) and returns what it printed on stdout.</summary>
    public async Task<string> FinishAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"listen exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }
}
