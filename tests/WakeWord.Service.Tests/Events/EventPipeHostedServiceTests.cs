using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WakeWord.Client.Protocol;
using WakeWord.Core.Audio;
using WakeWord.Service.Events;
using WakeWord.Service.Hub;

namespace WakeWord.Service.Tests.Events;

/// <summary>The hosted service forwards what the hub publishes (as the worker does) to pipe subscribers.</summary>
public sealed class EventPipeHostedServiceTests
{
    [Fact]
    public async Task Hub_wakes_and_status_changes_reach_subscribers()
    {
        string folder = Directory.CreateTempSubdirectory("ww-hosted-").FullName;
        using var hub = new ServiceHub();
        hub.SetModels([new LoadedModel("computer", "computer", "/models/computer.onnx", () => new WakeWord.Core.Detection.DetectorSettings(0.5f))]);
        await using var hosted = new EventPipeHostedService(
            Microsoft.Extensions.Options.Options.Create(new EventsOptions { PipeName = Path.Combine(folder, "ev.sock") }),
            hub, NullLogger<EventPipeServer>.Instance);
        await hosted.StartAsync(CancellationToken.None);
        try
        {
            await using RawPipeClient client = await RawPipeClient.ConnectAsync(hosted.Server!.PipePath, expectHello: false);
            Assert.Equal(["computer"], (await client.ReadAsync<HelloMessage>()).Words);
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (hosted.Server.ClientCount == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the server never counted the connected client");
                await Task.Delay(10);
            }

            hub.Publish(ServerFixture.Wake(score: 0.8f));
            hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.DeviceLost, "gone", DateTimeOffset.UtcNow));
            hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.DeviceBack, "back", DateTimeOffset.UtcNow));

            Assert.Equal(0.8f, (await client.ReadAsync<WakeEventMessage>()).Score);
            StatusEvent lost = await client.ReadAsync<StatusEvent>();
            Assert.Equal((StatusKinds.DeviceLost, "gone"), (lost.Status, lost.Message));
            Assert.Equal(StatusKinds.DeviceBack, (await client.ReadAsync<StatusEvent>()).Status);
        }
        finally
        {
            await hosted.StopAsync(CancellationToken.None);
            await hosted.StoppedAsync(CancellationToken.None);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Disabled_pipe_creates_nothing()
    {
        string folder = Directory.CreateTempSubdirectory("ww-hosted-").FullName;
        using var hub = new ServiceHub();
        string socket = Path.Combine(folder, "ev.sock");
        await using var hosted = new EventPipeHostedService(
            Microsoft.Extensions.Options.Options.Create(new EventsOptions { Enabled = false, PipeName = socket }),
            hub, NullLogger<EventPipeServer>.Instance);
        await hosted.StartAsync(CancellationToken.None);
        Assert.Null(hosted.Server);
        Assert.False(File.Exists(socket));
        await hosted.StopAsync(CancellationToken.None);
            await hosted.StoppedAsync(CancellationToken.None);
        Directory.Delete(folder, recursive: true);
    }
}
