using WakeWord.Client.Protocol;
using WakeWord.Service.Events;

namespace WakeWord.Service.Tests.Events;

public sealed class EventPipeServerTests
{
    [Fact]
    public async Task Hello_then_wake_with_every_field()
    {
        await using var fixture = new ServerFixture();
        await using RawPipeClient client = await RawPipeClient.ConnectAsync(fixture.Server.PipePath, expectHello: false);

        HelloMessage hello = await client.ReadAsync<HelloMessage>();
        Assert.Equal(ProtocolInfo.Version, hello.Protocol);
        Assert.Equal(["computer", "activate"], hello.Words);
        Assert.Equal(30_000, hello.HeartbeatIntervalMs);
        Assert.False(string.IsNullOrEmpty(hello.ServiceVersion));

        await fixture.WaitForClientsAsync(1);
        var time = new DateTimeOffset(2026, 11, 25, 10, 0, 0, 123, TimeSpan.Zero);
        fixture.Server.PublishWake(new("computer", "computer-v2", 0.875f, 0.62f, TimeSpan.FromSeconds(12.5), time));
        fixture.Server.PublishWake(ServerFixture.Wake());

        WakeEventMessage wake = await client.ReadAsync<WakeEventMessage>();
        Assert.Equal(new WakeEventMessage(1, "computer", "computer-v2", 0.875f, 0.62f, time, 12.5), wake);
        Assert.Equal(2, (await client.ReadAsync<WakeEventMessage>()).Sequence);
    }

    [Fact]
    public async Task At_stop_the_lines_queued_for_a_client_are_written_before_it_is_closed()
    {
        await using var fixture = new ServerFixture();
        await using RawPipeClient client = await fixture.ConnectAsync();
        await fixture.WaitForClientsAsync(1);

        // Raised just before the stop, as the audio loop's last events are: still in the client's queue at dispose.
        for (int i = 0; i < 20; i++)
        {
            fixture.Server.PublishWake(ServerFixture.Wake());
        }

        await fixture.Server.DisposeAsync();

        for (long sequence = 1; sequence <= 20; sequence++)
        {
            Assert.Equal(sequence, (await client.ReadAsync<WakeEventMessage>()).Sequence);
        }
    }

    [Fact]
    public async Task Ping_pause_resume_subscribe()
    {
        await using var fixture = new ServerFixture();
        await using RawPipeClient client = await fixture.ConnectAsync();
        await fixture.WaitForClientsAsync(1);

        await client.SendAsync("{\"type\":\"ping\",\"id\":\"a1\"}\n");
        Assert.Equal("a1", (await client.ReadAsync<PongMessage>()).Id);

        await client.SendAsync("{\"id\":\"p\",\"type\":\"pause\"}\n");
        AckMessage ack = await client.ReadAsync<AckMessage>();
        Assert.Equal(("pause", "p", true), (ack.Command, ack.Id, ack.Paused));
        fixture.Server.PublishWake(ServerFixture.Wake());            // sequence 1: not delivered, paused
        await client.SendAsync("{\"type\":\"resume\"}\n");
        Assert.False((await client.ReadAsync<AckMessage>()).Paused);
        fixture.Server.PublishWake(ServerFixture.Wake());            // sequence 2
        Assert.Equal(2, (await client.ReadAsync<WakeEventMessage>()).Sequence);

        await client.SendAsync("{\"type\":\"subscribe\",\"words\":[\"activate\"]}\n");
        Assert.Equal(["activate"], (await client.ReadAsync<AckMessage>()).Words);
        fixture.Server.PublishWake(ServerFixture.Wake("computer"));  // 3: filtered out
        fixture.Server.PublishWake(ServerFixture.Wake("activate"));  // 4
        WakeEventMessage wake = await client.ReadAsync<WakeEventMessage>();
        Assert.Equal((4L, "activate"), (wake.Sequence, wake.Word));

        await client.SendAsync("{\"type\":\"subscribe\"}\n");
        Assert.Null((await client.ReadAsync<AckMessage>()).Words);
        fixture.Server.PublishWake(ServerFixture.Wake("computer"));  // 5
        Assert.Equal(5, (await client.ReadAsync<WakeEventMessage>()).Sequence);
    }

    [Fact]
    public async Task Status_and_model_reload_reach_every_client()
    {
        await using var fixture = new ServerFixture();
        await using RawPipeClient a = await fixture.ConnectAsync();
        await using RawPipeClient b = await fixture.ConnectAsync();
        await fixture.WaitForClientsAsync(2);

        fixture.Server.PublishStatus(StatusKinds.DeviceLost, "mic unplugged", DateTimeOffset.UtcNow);
        fixture.Server.PublishModelsReloaded(["computer"], "models reloaded");
        foreach (RawPipeClient? client in new[] { a, b })
        {
            StatusEvent lost = await client.ReadAsync<StatusEvent>();
            Assert.Equal((StatusKinds.DeviceLost, "mic unplugged"), (lost.Status, lost.Message));
            StatusEvent reloaded = await client.ReadAsync<StatusEvent>();
            Assert.Equal(StatusKinds.ModelReloaded, reloaded.Status);
            Assert.Equal(["computer"], reloaded.Words);
        }

        // Later hellos list the new words.
        await using RawPipeClient c = await RawPipeClient.ConnectAsync(fixture.Server.PipePath, expectHello: false);
        Assert.Equal(["computer"], (await c.ReadAsync<HelloMessage>()).Words);
    }

    [Fact]
    public async Task A_late_client_gets_the_current_source_status_after_the_hello()
    {
        await using var fixture = new ServerFixture();
        fixture.Server.PublishStatus(StatusKinds.DeviceLost, "unplugged", DateTimeOffset.UtcNow);
        fixture.Server.PublishStatus(StatusKinds.DeviceBack, "plugged in", DateTimeOffset.UtcNow);
        await using RawPipeClient client = await fixture.ConnectAsync();
        StatusEvent status = await client.ReadAsync<StatusEvent>();
        Assert.Equal((StatusKinds.DeviceBack, "plugged in"), (status.Status, status.Message));
    }

    [Fact]
    public async Task Heartbeats_carry_the_last_sequence()
    {
        await using var fixture = new ServerFixture(o => o.HeartbeatSeconds = 0.1);
        await using RawPipeClient client = await fixture.ConnectAsync();
        await fixture.WaitForClientsAsync(1);
        fixture.Server.PublishWake(ServerFixture.Wake());

        // A heartbeat (sequence 0) may come between the connect and the wake on a loaded machine.
        ServerMessage? first;
        do
        {
            first = await client.ReadAsync(TimeSpan.FromSeconds(10));
        }
        while (first is HeartbeatMessage { Sequence: 0 });

        Assert.IsType<WakeEventMessage>(first);
        HeartbeatMessage heartbeat = Assert.IsType<HeartbeatMessage>(await client.ReadAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, heartbeat.Sequence);
        Assert.Equal(0, heartbeat.Dropped);
    }

    [Fact]
    public async Task Many_clients_each_get_every_event()
    {
        const int clients = 40;
        await using var fixture = new ServerFixture();
        RawPipeClient[] connected = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => fixture.ConnectAsync()));
        await fixture.WaitForClientsAsync(clients);

        for (int i = 0; i < 5; i++)
        {
            fixture.Server.PublishWake(ServerFixture.Wake());
        }

        foreach (RawPipeClient? client in connected)
        {
            for (int expected = 1; expected <= 5; expected++)
            {
                Assert.Equal(expected, (await client.ReadAsync<WakeEventMessage>()).Sequence);
            }

            await client.DisposeAsync();
        }

        await fixture.WaitForClientsAsync(0);
    }

    [Fact]
    public async Task Stuck_client_loses_oldest_lines_and_does_not_delay_others()
    {
        await using var fixture = new ServerFixture(o =>
        {
            o.QueueCapacity = 8;
            o.WriteTimeoutSeconds = 60; // Keep the stuck client connected for the whole test.
        });
        await using RawPipeClient stuck = await fixture.ConnectAsync();   // never reads again
        await using RawPipeClient reader = await fixture.ConnectAsync();
        await fixture.WaitForClientsAsync(2);

        // Enough events to fill the stuck client's socket buffer many times over.
        const int events = 20_000;
        for (int i = 0; i < events; i++)
        {
            fixture.Server.PublishWake(ServerFixture.Wake());
            if (i % 200 == 0)
            {
                // The reader keeps up; the stuck client's queue overflows and drops its oldest lines.
                while (true)
                {
                    WakeEventMessage wake = await reader.ReadAsync<WakeEventMessage>();
                    if (wake.Sequence == i + 1)
                    {
                        break;
                    }
                }
            }
        }

        Assert.Equal(events, fixture.Server.LastSequence);
        WakeEventMessage last;
        do
        {
            last = await reader.ReadAsync<WakeEventMessage>();
        }
        while (last.Sequence < events);

        Assert.Equal(events, last.Sequence);
        Assert.Equal(2, fixture.Server.ClientCount);

        // What the meter reports (wakeword.pipe.dropped): every client's losses (the reader's queue of 8 overflows
        // too between its reads), kept after a client has gone.
        long dropped = fixture.Server.DroppedLines;
        Assert.InRange(dropped, 1, 2L * events);
        await stuck.DisposeAsync();
        await fixture.WaitForClientsAsync(1);
        Assert.True(fixture.Server.DroppedLines >= dropped, $"{fixture.Server.DroppedLines} < {dropped} after the stuck client left");
    }

    [Fact]
    public async Task Clients_are_counted_in_the_counters_the_server_is_given()
    {
        var counters = new WakeWord.Service.Hub.PipeCounters();
        await using var fixture = new ServerFixture(counters: counters);
        RawPipeClient first = await fixture.ConnectAsync();
        await using RawPipeClient second = await fixture.ConnectAsync();
        await fixture.WaitForClientsAsync(2);
        Assert.Equal(2, counters.Clients);

        await first.DisposeAsync();
        await fixture.WaitForClientsAsync(1);
        Assert.Equal(1, counters.Clients);
    }

    [Fact]
    public async Task Client_that_stops_reading_is_closed_after_the_write_timeout()
    {
        await using var fixture = new ServerFixture(o =>
        {
            o.WriteTimeoutSeconds = 0.3;
            o.QueueCapacity = 4;
        });
        await using RawPipeClient stuck = await fixture.ConnectAsync();
        await fixture.WaitForClientsAsync(1);

        // Keep the writer busy until the socket buffer is full and a write blocks past the timeout (a few MB at most).
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (fixture.Server.ClientCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the stuck client was never closed");
            for (int i = 0; i < 4; i++)
            {
                fixture.Server.PublishWake(ServerFixture.Wake());
            }

            await Task.Delay(1);
        }

        Assert.True(fixture.Server.LastSequence > 100, "the client must have been closed by a blocked write, not before");

        // And the server still accepts.
        await using RawPipeClient fresh = await fixture.ConnectAsync();
        await fixture.WaitForClientsAsync(1);
    }

    [Fact]
    public async Task Restarted_server_replaces_a_stale_socket_and_refuses_a_live_one()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix socket files only.
        }

        var fixture = new ServerFixture();
        string path = fixture.Server.PipePath;
        await using (var another = new ServerFixture(path: path + ".x"))
        {
            // A second server on a path that is being served fails with a message naming the path.
            var options = new WakeWord.Service.Events.EventsOptions { PipeName = path };
            await using var clash = new WakeWord.Service.Events.EventPipeServer(options,
                Microsoft.Extensions.Logging.Abstractions.NullLogger<WakeWord.Service.Events.EventPipeServer>.Instance);
            EventPipeException error = Assert.Throws<WakeWord.Service.Events.EventPipeException>(() => clash.Start(["computer"]));
            Assert.Contains(path, error.Message);
        }

        await fixture.Server.DisposeAsync();
        File.WriteAllText(path, "stale"); // what a crash leaves behind (as a plain file here)
        await using var restarted = new ServerFixture(path: path);
        await using RawPipeClient client = await restarted.ConnectAsync();
        await fixture.DisposeAsync();
    }
}
