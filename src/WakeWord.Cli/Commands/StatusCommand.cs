using System.CommandLine;
using WakeWord.Cli.Parsing;
using WakeWord.Cli.Status;
using WakeWord.Client;
using WakeWord.Client.Protocol;

namespace WakeWord.Cli.Commands;

/// <summary>
/// `wakeword status`: asks the running service over its event pipe how it is doing (source, models, uptime, audio,
/// events, clients) and prints it once. Unlike listen it does not wait for a service: none running is exit code 5.
/// </summary>
public static class StatusCommand
{
    public static Command Create()
    {
        Option<string?> pipe = CommonOptions.Pipe();
        Option<bool> json = CommonOptions.Json();
        Option<double> timeout = ValueOptions.Real("--timeout", "of seconds", 0, minIncluded: false, 3600, 5.0);
        timeout.Description = "Seconds to wait for the service's answer (default 5).";
        timeout.HelpName = "seconds";
        var command = new Command(
            "status",
            "Show how the running service is doing: audio source and device state, models with their thresholds, uptime, " +
            "audio processed, wake events per word, the last event, connected clients. Exit codes: 0 ok, 1 the pipe cannot be " +
            "opened (permission denied) or the service is too old to answer, 2 usage, 5 no service running.")
        {
            pipe, json, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            double seconds = parse.GetValue(timeout);
            return await RunAsync(parse.GetValue(pipe), parse.GetValue(json), TimeSpan.FromSeconds(seconds), Console.Out,
                Console.Error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(string? pipe, bool json, TimeSpan timeout, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        string path = PipeLocations.ResolveForClient(pipe);
        if (!OperatingSystem.IsWindows() && !File.Exists(path))
        {
            string looked = pipe is null ? $" (looked for {string.Join(", ", PipeLocations.ClientCandidates())})" : "";
            return CommandGuard.Report(error, $"no wake-word service is running: no socket at {path}{looked}. Start the " +
                "service (systemctl start wakeword) or give its Events:PipeName with --pipe.", ExitCodes.NoService);
        }

        // No reconnecting: one question, one answer, within the timeout.
        await using var client = new WakeWordClient(new WakeWordClientOptions { PipeName = path, Reconnect = false });
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await client.ConnectAsync(deadline.Token).ConfigureAwait(false);
            ServiceStatusMessage status = await client.GetStatusAsync(deadline.Token).ConfigureAwait(false);
            if (json)
            {
                await output.WriteAsync(System.Text.Encoding.UTF8.GetString(ProtocolCodec.EncodeLine(status))).ConfigureAwait(false);
            }
            else
            {
                StatusPrinter.Print(status, path, output);
            }

            return ExitCodes.Ok;
        }
        catch (UnauthorizedAccessException e)
        {
            return CommandGuard.Report(error, $"{e.Message} (is this user in the service's Events:Group?)", ExitCodes.Unexpected);
        }
        catch (InvalidOperationException e)
        {
            // The service answered with an error, or closed the connection before answering.
            string detail = client.Hello is { Commands: null } hello
                ? $"the service at {path} (version {hello.ServiceVersion}) is older than the status command and cannot answer it"
                : $"the service at {path} gave no status";
            return CommandGuard.Report(error, $"{detail} ({e.Message}).", ExitCodes.Unexpected);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
        catch (OperationCanceledException)
        {
            string why = client.LastRefusal is { } refusal
                ? $"it refused this connection: too many clients ({refusal.Message})"
                : client.Hello is null ? "nothing answers on the socket (a stale file left by a crash?)" : "it did not answer the status command";
            return CommandGuard.Report(error, $"no answer from the wake-word service at {path} within {timeout.TotalSeconds:0.#} s: {why}.",
                ExitCodes.NoService);
        }
    }
}
