using System.IO.Pipes;
using System.Text;
using WakeWord.Client;
using WakeWord.Client.Protocol;

namespace WakeWord.EndToEnd.Tests.Soak;

/// <summary>A subscriber that reads its socket one line at a time with a pause after each (a busy consumer): the
/// service must queue for it without holding up the others, and it must still get every event.</summary>
internal sealed class SlowLineReader : IAsyncDisposable
{
    private readonly NamedPipeClientStream _stream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private readonly List<WakeEventMessage> _received = [];
    private readonly TimeSpan _pause;

    private SlowLineReader(NamedPipeClientStream stream, TimeSpan pause)
    {
        _stream = stream;
        _pause = pause;
        _reading = Task.Run(ReadAsync);
    }

    public IReadOnlyList<WakeEventMessage> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
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
        await _stop.CancelAsync();
        await _stream.DisposeAsync();
        try
        {
            await _reading;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Closed by us.
        }

        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        using var reader = new StreamReader(_stream, Encoding.UTF8, false, 256, leaveOpen: true);
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (ProtocolCodec.TryDecodeServer(Encoding.UTF8.GetBytes(line), out ServerMessage? message, out _) && message is WakeEventMessage wake)
            {
                lock (_received)
                {
                    _received.Add(wake);
                }
            }

            await Task.Delay(_pause, _stop.Token); // the consumer's own slowness, not a wait for something to happen
        }
    }
}
