using Microsoft.Extensions.Logging.Abstractions;
using WakeWord.Service.Events;
using WakeWord.Core.Detection;

namespace WakeWord.Service.Tests.Events;

/// <summary>A real <see cref="EventPipeServer"/> on a fresh socket path in its own temp folder.</summary>
internal sealed class ServerFixture : IAsyncDisposable
{
    public ServerFixture(Action<EventsOptions>? configure = null, string? path = null,
        Microsoft.Extensions.Logging.ILogger<EventPipeServer>? logger = null, TimeProvider? time = null,
        WakeWord.Service.Status.ServiceStatusBoard? status = null, WakeWord.Service.Hub.PipeCounters? counters = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "ww-evt-" + Guid.NewGuid().ToString("N")[..10]);
        Options = new EventsOptions
        {
            PipeName = OperatingSystem.IsWindows() ? "ww-test-" + Guid.NewGuid().ToString("N") : path ?? Path.Combine(Root, "run", "events.sock"),
            HeartbeatSeconds = 30,
        };
        configure?.Invoke(Options);
        Server = new EventPipeServer(Options, logger ?? NullLogger<EventPipeServer>.Instance, time, status, counters);
        Server.Start(["computer", "activate"]);
    }

    public string Root { get; }

    public EventsOptions Options { get; }

    public EventPipeServer Server { get; }

    public static WakeEvent Wake(string word = "computer", float score = 0.9f) =>
        new(word, word, score, 0.5f, TimeSpan.FromSeconds(1.5), DateTimeOffset.UtcNow);

    public Task<RawPipeClient> ConnectAsync() => RawPipeClient.ConnectAsync(Server.PipePath);

    /// <summary>Waits until the server has <paramref name="count"/> clients (a connect returns before the server admits it).</summary>
    public async Task WaitForClientsAsync(int count, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Server.ClientCount != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} clients, server has {Server.ClientCount}");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
