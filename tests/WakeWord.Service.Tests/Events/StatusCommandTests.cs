using Microsoft.Extensions.Time.Testing;
using WakeWord.Client.Protocol;
using WakeWord.Core.Audio;
using WakeWord.Service.Hub;
using WakeWord.Service.Status;

namespace WakeWord.Service.Tests.Events;

public sealed class StatusCommandTests
{
    [Fact]
    public async Task The_hello_lists_the_commands_including_status()
    {
        await using var fixture = new ServerFixture();
        await using RawPipeClient client = await RawPipeClient.ConnectAsync(fixture.Server.PipePath, expectHello: false);
        HelloMessage hello = await client.ReadAsync<HelloMessage>();
        Assert.Equal(["ping", "pause", "resume", "subscribe", "status"], hello.Commands);
    }

    [Fact]
    public async Task Status_answers_with_the_boards_snapshot_and_the_servers_clients()
    {
        using var hub = new ServiceHub();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
        using var board = new ServiceStatusBoard(hub, time);
        await using var fixture = new ServerFixture(time: time, status: board, counters: hub.Pipe);
        hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.Listening, "listening on stdin", time.GetUtcNow()));
        hub.Publish(ServerFixture.Wake("computer", 0.8f));
        time.Advance(TimeSpan.FromSeconds(42));

        await using RawPipeClient first = await fixture.ConnectAsync();
        await using RawPipeClient second = await fixture.ConnectAsync();
        await fixture.WaitForClientsAsync(2);
        await second.SendAsync("{\"type\":\"status\",\"id\":\"s1\"}\n");
        ServiceStatusMessage status = await second.ReadAsync<ServiceStatusMessage>();

        Assert.Equal(("s1", 2, 42.0), (status.Id, status.Clients, status.UptimeS));
        Assert.Equal(("listening", true), (status.Source.State, status.Source.Listening));
        Assert.Equal(1, status.Events["computer"]);
        Assert.Equal(0.8f, status.LastEvent!.Score);
    }

    [Fact]
    public async Task A_server_without_a_board_says_status_is_unavailable_and_keeps_the_connection()
    {
        await using var fixture = new ServerFixture();
        await using RawPipeClient client = await fixture.ConnectAsync();
        await client.SendAsync("{\"type\":\"status\",\"id\":\"x\"}\n");
        ErrorMessage error = await client.ReadAsync<ErrorMessage>();
        Assert.Equal((ErrorCodes.Unavailable, "x"), (error.Code, error.Id));

        await client.SendAsync("{\"type\":\"ping\",\"id\":\"after\"}\n");
        Assert.Equal("after", (await client.ReadAsync<PongMessage>()).Id);
    }
}
