using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using WakeWord.Client.Protocol;

namespace WakeWord.Client.Tests;

/// <summary>
/// A service that refuses every connection (its client limit reached): the client must wait, doubling with jitter,
/// on its injected clock. Before, it reconnected at once, about 69,000 times in 20 s.
/// </summary>
public sealed class RefusedConnectionBackoffTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"ww-refuse-{Guid.NewGuid():N}.sock");
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();
    private int _accepts;

    public RefusedConnectionBackoffTests()
    {
        _listener.Bind(new UnixDomainSocketEndPoint(_path));
        _listener.Listen(16);
        _ = RefuseAllAsync();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        File.Delete(_path);
        _stop.Dispose();
    }

    [Fact]
    public async Task EveryRefusalIsFollowedByOneJitteredDoublingWaitOnTheInjectedClock()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // the fake service is a Unix socket
        }

        var time = new FakeTimeProvider();
        var delays = new ConcurrentQueue<TimeSpan>();
        await using var client = new WakeWordClient(new WakeWordClientOptions
        {
            PipeName = _path, TimeProvider = time, RetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(8),
        });
        using IDisposable subscription = client.RetryDelays.Subscribe(delays.Enqueue);
        Task connect = client.ConnectAsync();

        double[] expected = [1, 2, 4, 8, 8];
        for (int i = 0; i < expected.Length; i++)
        {
            await WaitUntilAsync(() => delays.Count == i + 1, $"no wait scheduled after refusal {i + 1}");

            // The client now waits on the fake clock, which does not move: exactly one attempt per wait.
            Assert.Equal(i + 1, Volatile.Read(ref _accepts));
            TimeSpan delay = delays.ToArray()[i];
            Assert.InRange(delay.TotalSeconds, 0.5 * expected[i], 1.5 * expected[i]);
            time.Advance(delay);
        }

        Assert.Equal(ErrorCodes.TooManyClients, client.LastRefusal?.Code);
        Assert.NotEqual(ConnectionState.Connected, client.State);
        Assert.False(connect.IsCompleted);
    }

    private async Task RefuseAllAsync()
    {
        byte[] refusal = ProtocolCodec.EncodeLine(new ErrorMessage(ErrorCodes.TooManyClients, "The service allows 1 clients at once; try again later."));
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using Socket client = await _listener.AcceptAsync(_stop.Token);
                Interlocked.Increment(ref _accepts);
                await client.SendAsync(refusal, SocketFlags.None, _stop.Token);
                client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string message)
    {
        DateTime end = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < end, message);
            await Task.Delay(10);
        }
    }
}
