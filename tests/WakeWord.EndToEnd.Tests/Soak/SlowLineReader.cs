using System.IO.Pipes;
using System.Text;
using WakeWord.Client;
using WakeWord.Client.Protocol;

namespace WakeWord.EndToEnd.Tests.Soak;

/// <summary>A subscriber that reads its socket one line at a time with a pause after each (a busy consumer): the
/// service must queue for it without holding up the others, and it must still get every event.</summary>
internal sealed class SlowLineReader : IAsyncDisposable
{
    private readonly NamedPipeClientStream stream;
    private readonly CancellationTokenSource stop = new();
    private readonly Task reading;
    private readonly List<WakeEventMessage> received = [];
    private readonly TimeSpan pause;

    private SlowLineReader(NamedPipeClientStream stream, TimeSpan pause)
    {
        this.stream = stream;
        this.pause = pause;
        reading = Task.Run(ReadAsync);
    }

    public IReadOnlyList<WakeEventMessage> Received
    {
        get
        {
            lock (received)
            {
                return [.. received];
            }
        }
    }

    public static async Task<SlowLineReader> ConnectAsync(string path, TimeSpan pause)
    {
        var stream = new NamedPipeClientStream(".", path, PipeDirection.InOut, PipeOptions.Asynchronous);
        await stream.ConnectAsync(10_000);
        return new SlowLineReader(stream, pause);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await stream.DisposeAsync();
        try
        {
            await reading;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Closed by us.
        }

        stop.Dispose();
    }

    private async Task ReadAsync()
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, false, 256, leaveOpen: true);
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            if (ProtocolCodec.TryDecodeServer(Encoding.UTF8.GetBytes(line), out ServerMessage? message, out _) && message is WakeEventMessage wake)
            {
                lock (received)
                {
                    received.Add(wake);
                }
            }

            await Task.Delay(pause, stop.Token); // the consumer's own slowness, not a wait for something to happen
        }
    }
}
