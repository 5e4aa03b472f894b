using System.Net.Sockets;
using System.Text;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>
/// systemd's end of sd_notify(3): a datagram socket bound at <see cref="Path"/> (give it to the service as
/// NOTIFY_SOCKET) that records every message, with the time it came, for a test to wait on.
/// </summary>
public sealed class NotifySocketListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<(string Message, DateTime At)> _messages = [];
    private readonly SemaphoreSlim _changed = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;

    public NotifySocketListener(string path)
    {
        Path = path;
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        _receiving = Task.Run(ReceiveAsync);
    }

    public string Path { get; }

    public IReadOnlyList<(string Message, DateTime At)> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
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

            await _changed.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _receiving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The receive loop ends on the closed socket.
        }

        File.Delete(Path);
        _stop.Dispose();
        _changed.Dispose();
    }

    private async Task ReceiveAsync()
    {
        byte[] buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (_messages)
            {
                _messages.Add((Encoding.UTF8.GetString(buffer, 0, n), DateTime.UtcNow));
            }

            _changed.Release();
        }
    }
}
