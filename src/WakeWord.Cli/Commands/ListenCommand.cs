using System.CommandLine;
using System.Reactive.Linq;
using WakeWord.Cli.Listen;
using WakeWord.Cli.Parsing;
using WakeWord.Client;
using WakeWord.Client.Protocol;

namespace WakeWord.Cli.Commands;

/// <summary>
/// `wakeword listen`: subscribes to the running service's event pipe and prints wake and status events as they arrive;
/// `--exec` runs a command per wake event. Reconnects by itself when the service restarts.
/// </summary>
public static class ListenCommand
{
    public static Command Create()
    {
        Option<string?> pipe = CommonOptions.Pipe();
        Option<bool> json = CommonOptions.Json();
        Option<string?> exec = ValueOptions.Text("--exec", "a shell command to run per wake event");
        exec.Description = "Run this command for each wake event (/bin/sh -c, cmd.exe /c on Windows) with WAKEWORD_WORD, " +
            "WAKEWORD_SCORE, WAKEWORD_THRESHOLD, WAKEWORD_TIME, WAKEWORD_MODEL, WAKEWORD_SEQUENCE, WAKEWORD_AUDIO_OFFSET_S set.";
        exec.HelpName = "command";
        Option<string[]> word = ValueOptions.Texts("--word", "a wake word, e.g. computer", "-w");
        word.Description = "Only this wake word's events; repeatable. Default: all words.";
        word.HelpName = "word";
        Option<int?> count = ValueOptions.OptionalWhole("--count", "of events", 1, 1_000_000, "-n");
        count.Description = "Exit after this many wake events (for scripts). Default: run until interrupted.";
        count.HelpName = "n";
        var command = new Command(
            "listen",
            "Print wake events from the running service as they arrive (text, or --json lines), and optionally run a command " +
            "for each. Waits for the service and reconnects after it restarts. Exit codes: 0 after --count events, 1 when the " +
            "pipe cannot be opened (e.g. permission denied: join the service's Events:Group), 2 usage, 130 interrupted.")
        {
            pipe, json, exec, word, count,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            int? max = parse.GetValue(count);
            string[] words = parse.GetValue(word) ?? [];
            string? execCommand = parse.GetValue(exec);
            var options = new WakeWordClientOptions
            {
                PipeName = parse.GetValue(pipe),
                Words = words.Length == 0 ? null : words,
            };
            return await RunAsync(options, parse.GetValue(json), execCommand, max, Console.Out, Console.Error, cancellationToken)
                .ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(WakeWordClientOptions options, bool json, string? exec, int? count,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var printer = new ListenPrinter(output, json);
        WakeCommandRunner? runner = exec is null ? null : new WakeCommandRunner(exec, error);
        await using var client = new WakeWordClient(options);

        // Connection notices go to stderr so stdout stays a clean stream of events.
        bool wasConnected = false;
        using IDisposable states = client.States.Subscribe(state =>
        {
            if (state == ConnectionState.Connected)
            {
                error.WriteLine(wasConnected ? $"wakeword: reconnected to {client.PipePath}" : $"wakeword: listening on {client.PipePath}");
                wasConnected = true;
            }
            else if (state == ConnectionState.Disconnected && wasConnected)
            {
                error.WriteLine("wakeword: connection to the service lost; reconnecting");
            }
        });

        Task waitingNotice = Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ContinueWith(t =>
        {
            if (!t.IsCanceled && client.State != ConnectionState.Connected && !wasConnected)
            {
                error.WriteLine($"wakeword: waiting for the wake-word service at {client.PipePath ?? "(default locations)"} ...");
            }
        }, TaskScheduler.Default);

        int seen = 0;
        try
        {
            bool refusedNoticeShown = false;
            await foreach (ServerMessage? message in client.ReadMessagesAsync(cancellationToken).ConfigureAwait(false))
            {
                if (message is ErrorMessage { Code: ErrorCodes.TooManyClients } refusal)
                {
                    // Once per refusal streak: the client retries with backoff and jitter until a place is free.
                    if (!refusedNoticeShown)
                    {
                        error.WriteLine($"wakeword: too many clients: the service refused this connection ({refusal.Message}); retrying with backoff");
                        refusedNoticeShown = true;
                    }

                    continue;
                }

                if (message is HelloMessage)
                {
                    refusedNoticeShown = false;
                }

                printer.Print(message);
                if (message is WakeEventMessage wake)
                {
                    runner?.Start(wake);
                    if (count is { } max && ++seen >= max)
                    {
                        break;
                    }
                }
            }
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our stdout was closed (e.g. `wakeword listen | head -1`): the reader has what it wanted.
            return ExitCodes.Ok;
        }
        catch (UnauthorizedAccessException e)
        {
            return CommandGuard.Report(error, $"{e.Message} (is this user in the service's Events:Group?)", ExitCodes.Unexpected);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (runner is not null)
            {
                await runner.DrainAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }

            return ExitCodes.Interrupted;
        }

        if (runner is not null)
        {
            await runner.DrainAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }
}
