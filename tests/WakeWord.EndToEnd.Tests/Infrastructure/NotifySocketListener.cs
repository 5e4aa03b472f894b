using System.Net.Sockets;
using System.Text;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>
/// systemd's end of sd_notify(3): a datagram socket bound at <see cref="Path"/> (give it to the service as
/// NOTIFY_SOCKET) that records every message, with the time it came, for a test to wait on.
/// </summary>
public sealed class NotifySocketListener : IDisposable
{
    private readonly Socket socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<(string Message, DateTime At)> messages = [];
    private readonly SemaphoreSlim changed = new(0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task receiving;

    public NotifySocketListener(string path)
    {
        Path = path;
        socket.Bind(new UnixDomainSocketEndPoint(path));
        receiving = Task.Run(ReceiveAsync);
    }

    public string Path { get; }

    public IReadOnlyList<(string Message, DateTime At)> Messages
    {
        get
        {
            lock (messages)
            {
                return [.. messages];
            }
        }
    }

    /// <summary>The first message that <paramref name="match"/> accepts, waiting for it until the deadline.</summary>
    public async Task<(string Message, DateTime At)> WaitForAsync(Func<string, bool> match, TimeSpan timeout, string what)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            foreach ((string Message, DateTime At) m in Messages)
            {
                if (match(m.Message))
                {
                    return m;
                }
            }

            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no {what} on NOTIFY_SOCKET within {timeout.TotalSeconds} s; got: [{string.Join(" | ", Messages.Select(m => m.Message))}]");
            }

            await changed.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        socket.Dispose();
        try
        {
            receiving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The receive loop ends on the closed socket.
        }

        File.Delete(Path);
        stop.Dispose();
        changed.Dispose();
    }

    private async Task ReceiveAsync()
    {
        byte[] buffer = new byte[4096];
        while (!stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (messages)
            {
                messages.Add((Encoding.UTF8.GetString(buffer, 0, n), DateTime.UtcNow));
            }

            changed.Release();
        }
    }
}
