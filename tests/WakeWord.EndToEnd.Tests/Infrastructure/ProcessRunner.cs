using System.Diagnostics;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>Runs a real process to completion, feeding stdin and collecting stdout and stderr.</summary>
public static class ProcessRunner
{
    /// <summary>The dotnet host running these tests (the SDK sets DOTNET_HOST_PATH for test runs).</summary>
    public static string DotnetHost
    {
        get
        {
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
        }
    }

    /// <summary>The runtime's switch for its diagnostics IPC (debugger pipes, the dotnet-diagnostic socket).</summary>
    public const string DiagnosticsVariable = "DOTNET_EnableDiagnostics";

    public static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // No diagnostics IPC for the processes a test starts (a test that attaches a tool turns it back on): each .NET
        // process opens clr-debug-pipe-* and dotnet-diagnostic-* in /tmp, and one that is killed (services are, by
        // tests and by the watchdog) leaves them there for good.
        info.Environment[DiagnosticsVariable] = "0";
        info.Environment["TMPDIR"] = TestTemp.Folder;
        if (environment is not null)
        {
            foreach ((string key, string value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        return info;
    }

    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        byte[]? stdin = null,
        IDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        using Process process = Process.Start(StartInfo(fileName, arguments, environment))
            ?? throw new InvalidOperationException($"cannot start {fileName}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process may exit (on a bad option, say) before reading its input.
        }

        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in time");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// <see cref="RunAsync"/> for callers that cannot await (a Dispose, a condition that Eventually polls). It runs on the
    /// thread pool, so the wait never holds a thread that the test framework's synchronization context needs.
    /// </summary>
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        Task.Run(() => RunAsync(fileName, arguments, environment: environment, timeout: timeout)).GetAwaiter().GetResult();
}
