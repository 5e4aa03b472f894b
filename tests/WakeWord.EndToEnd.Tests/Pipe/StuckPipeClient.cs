using System.IO.Pipes;
using System.Text;

namespace WakeWord.EndToEnd.Tests.Pipe;

/// <summary>
/// A subscriber that never reads: it floods the service with pings and ignores every answer, so the service's writes
/// to it block once the socket buffers fill. The other subscribers must not notice.
/// </summary>
internal sealed class StuckPipeClient : IAsyncDisposable
{
    private readonly NamedPipeClientStream _stream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _flooding;
    private long _linesSent;

    private StuckPipeClient(NamedPipeClientStream stream)
    {
        _stream = stream;
        _flooding = Task.Run(FloodAsync);
    }

    /// <summary>Ping lines the service has taken from us so far (stops growing once the service stops reading us).</summary>
    public long LinesSent => Interlocked.Read(ref _linesSent);

    public static async Task<StuckPipeClient> ConnectAsync(string path)
    {
        var stream = new NamedPipeClientStream(".", path, PipeDirection.InOut, PipeOptions.Asynchronous);
        await stream.ConnectAsync(10_000);
        return new StuckPipeClient(stream);
    }

    /// <summary>Waits until the service has stopped taking our lines: its replies to us are stuck.</summary>
    public async Task WaitUntilBlockedAsync(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        long last = -1;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(300);
            long now = LinesSent;
            if (now == last && now > 0)
            {
                return;
            }

            last = now;
        }

        throw new TimeoutException($"the stuck client never blocked ({LinesSent} lines sent)");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _stream.DisposeAsync();
        try
        {
            await _flooding;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Closing is how the flood ends.
        }

        _stop.Dispose();
    }

    private async Task FloodAsync()
    {
        byte[] line = Encoding.UTF8.GetBytes("{\"type\":\"ping\",\"id\":\"" + new string('s', 200) + "\"}\n");
        while (!_stop.IsCancellationRequested)
        {
            await _stream.WriteAsync(line, _stop.Token);
            Interlocked.Increment(ref _linesSent);
        }
    }
}
