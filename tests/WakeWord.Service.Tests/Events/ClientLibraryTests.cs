using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using WakeWord.Client;
using WakeWord.Client.Protocol;

namespace WakeWord.Service.Tests.Events;

/// <summary>The client library against the real server over real pipes.</summary>
public sealed class ClientLibraryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Async_stream_and_observable_both_get_the_event()
    {
        await using var fixture = new ServerFixture();
        await using var client = new WakeWordClient(new WakeWordClientOptions { PipeName = fixture.Server.PipePath });
        var observed = client.WakeEvents.FirstAsync().ToTask();
        using var cts = new CancellationTokenSource(Timeout);
        IAsyncEnumerator<WakeEventMessage> stream = client.ReadWakeEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        ValueTask<bool> next = stream.MoveNextAsync();

        await client.ConnectAsync(cts.Token);
        Assert.Equal(["computer", "activate"], client.Hello!.Words);
        await fixture.WaitForClientsAsync(1);
        fixture.Server.PublishWake(ServerFixture.Wake(score: 0.75f));

        Assert.True(await next);
        Assert.Equal((1L, 0.75f), (stream.Current.Sequence, stream.Current.Score));
        Assert.Equal(stream.Current, await observed.WaitAsync(Timeout));
        await stream.DisposeAsync();
    }

    [Fact]
    public async Task Words_follow_the_hello_and_every_model_reload()
    {
        await using var fixture = new ServerFixture();
        await using var client = new WakeWordClient(new WakeWordClientOptions { PipeName = fixture.Server.PipePath });
        Assert.Empty(client.Words);
        var reloaded = client.Messages.OfType<StatusEvent>().FirstAsync(s => s.Status == StatusKinds.ModelReloaded).ToTask();

        await client.ConnectAsync().WaitAsync(Timeout);
        Assert.Equal(["computer", "activate"], client.Words);
        fixture.Server.PublishModelsReloaded(["jarvis"], "models reloaded (test)");

        Assert.Equal(["jarvis"], (await reloaded.WaitAsync(Timeout)).Words);
        Assert.Equal(["jarvis"], client.Words);
    }

    [Fact]
    public async Task Connects_once_the_service_appears()
    {
        // The server makes the folder and nobody else removes it: this test does (ww-late-* gathered in /tmp).
        string folder = Path.Combine(Path.GetTempPath(), "ww-late-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            string path = Path.Combine(folder, "events.sock");
            await using var client = new WakeWordClient(new WakeWordClientOptions { PipeName = path });
            int retries = 0;
            using IDisposable counting = client.RetryDelays.Subscribe(_ => Interlocked.Increment(ref retries));
            Task connect = client.ConnectAsync();
            await WaitUntil(() => Volatile.Read(ref retries) >= 2); // it looked, found nothing, and keeps looking
            Assert.False(connect.IsCompleted);
            Assert.Equal(ConnectionState.Connecting, client.State);

            await using var fixture = new ServerFixture(path: path);
            await connect.WaitAsync(Timeout);
            Assert.Equal(ConnectionState.Connected, client.State);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Reconnects_after_a_service_restart_and_gets_the_next_event()
    {
        var fixture = new ServerFixture();
        string path = fixture.Server.PipePath;
        await using var client = new WakeWordClient(new WakeWordClientOptions { PipeName = path, Words = ["activate"] });
        int subscribeAcks = 0;
        using IDisposable counting = client.Messages.OfType<AckMessage>().Where(a => a.Command == MessageTypes.Subscribe)
            .Subscribe(_ => Interlocked.Increment(ref subscribeAcks));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using IAsyncEnumerator<WakeEventMessage> events = client.ReadWakeEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        ValueTask<bool> next = events.MoveNextAsync(); // an async stream subscribes when enumeration starts
        await client.ConnectAsync(cts.Token);
        await WaitUntil(() => subscribeAcks == 1);

        await fixture.Server.DisposeAsync(); // the service stops
        await using var restarted = new ServerFixture(path: path);

        // The client reconnects by itself and re-sends its subscription; the new service confirms it.
        await WaitUntil(() => client.ConnectionCount == 2 && subscribeAcks == 2);
        restarted.Server.PublishWake(ServerFixture.Wake("computer")); // filtered out by the restored subscription
        restarted.Server.PublishWake(ServerFixture.Wake("activate"));
        Assert.True(await next);
        Assert.Equal((2L, "activate"), (events.Current.Sequence, events.Current.Word));
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task Pause_is_restored_after_a_reconnect()
    {
        var fixture = new ServerFixture();
        string path = fixture.Server.PipePath;
        await using var client = new WakeWordClient(new WakeWordClientOptions { PipeName = path });
        int pausedAcks = 0;
        using IDisposable counting = client.Messages.OfType<AckMessage>().Where(a => a.Paused).Subscribe(_ => Interlocked.Increment(ref pausedAcks));
        var wakes = new ConcurrentQueue<WakeEventMessage>(); // filled on the client's loop thread
        using IDisposable collecting = client.WakeEvents.Subscribe(wakes.Enqueue);
        await client.ConnectAsync().WaitAsync(Timeout);
        await client.PauseAsync();
        await WaitUntil(() => pausedAcks == 1);

        await fixture.Server.DisposeAsync();
        await using var restarted = new ServerFixture(path: path);
        await WaitUntil(() => client.ConnectionCount == 2 && pausedAcks == 2);
        restarted.Server.PublishWake(ServerFixture.Wake());
        await client.PingAsync().WaitAsync(Timeout); // the wake, had it been sent, would have arrived before the pong
        Assert.Empty(wakes);

        var resumed = client.Messages.OfType<AckMessage>().FirstAsync(a => a.Command == MessageTypes.Resume).ToTask();
        await client.ResumeAsync();
        await resumed.WaitAsync(Timeout); // ResumeAsync returns once sent; the service has applied it when it acks
        restarted.Server.PublishWake(ServerFixture.Wake());
        await WaitUntil(() => wakes.Count == 1);
        Assert.Equal(2, Assert.Single(wakes).Sequence);
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task A_silent_service_is_dropped_after_the_heartbeat_timeout()
    {
        // Server heartbeats every 30 s; the client gives up after 300 ms of silence and reconnects.
        await using var fixture = new ServerFixture();
        await using var client = new WakeWordClient(new WakeWordClientOptions
        {
            PipeName = fixture.Server.PipePath,
            HeartbeatTimeout = TimeSpan.FromMilliseconds(300),
        });
        await client.ConnectAsync().WaitAsync(Timeout);
        await WaitUntil(() => client.ConnectionCount >= 3);
    }

    [Fact]
    public async Task A_service_that_sends_heartbeats_is_kept()
    {
        // Heartbeats every 0.2 s keep a client with a 3 s silence limit connected past that limit. (The limit is generous
        // because this machine is shared: a loaded box can stall a process for most of a second.)
        await using var fixture = new ServerFixture(o => o.HeartbeatSeconds = 0.2);
        await using var client = new WakeWordClient(new WakeWordClientOptions
        {
            PipeName = fixture.Server.PipePath,
            HeartbeatTimeout = TimeSpan.FromSeconds(3),
        });
        int heartbeats = 0;
        using IDisposable counting = client.Messages.OfType<HeartbeatMessage>().Subscribe(_ => Interlocked.Increment(ref heartbeats));
        await client.ConnectAsync().WaitAsync(Timeout);

        // 20 heartbeats 0.2 s apart span at least 3.8 s, past the 3 s limit: the same connection all along.
        await WaitUntil(() => Volatile.Read(ref heartbeats) >= 20);
        Assert.Equal(1, client.ConnectionCount);
        Assert.Equal(ConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task Ping_round_trips_and_pause_stops_wakes_for_this_client_only()
    {
        await using var fixture = new ServerFixture();
        await using var paused = new WakeWordClient(new WakeWordClientOptions { PipeName = fixture.Server.PipePath });
        await using var other = new WakeWordClient(new WakeWordClientOptions { PipeName = fixture.Server.PipePath });
        var pausedAcks = paused.Messages.OfType<AckMessage>().FirstAsync().ToTask();
        await paused.ConnectAsync().WaitAsync(Timeout);
        await other.ConnectAsync().WaitAsync(Timeout);
        PongMessage pong = await paused.PingAsync().WaitAsync(Timeout);
        Assert.StartsWith("p", pong.Id);

        var pausedWakes = new List<WakeEventMessage>();
        using IDisposable sub = paused.WakeEvents.Subscribe(pausedWakes.Add);
        await paused.PauseAsync();
        Assert.True((await pausedAcks.WaitAsync(Timeout)).Paused);
        var otherWake = other.WakeEvents.FirstAsync().ToTask();
        fixture.Server.PublishWake(ServerFixture.Wake());
        Assert.Equal(1, (await otherWake.WaitAsync(Timeout)).Sequence);
        await paused.PingAsync().WaitAsync(Timeout); // anything sent before the pong has arrived by now
        Assert.Empty(pausedWakes);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(20);
        }
    }
}
