using System.Collections.Concurrent;
using WakeWord.Client;
using WakeWord.Client.Protocol;

namespace WakeWord.EndToEnd.Tests.Pipe;

/// <summary>A client-library subscriber that notes when each wake event arrived (its own clock, same machine as the service).</summary>
internal sealed class ReadingSubscriber : IAsyncDisposable
{
    private readonly ConcurrentQueue<(WakeEventMessage Wake, DateTimeOffset ReceivedUtc)> _received = new();
    private readonly IDisposable _subscription;

    public ReadingSubscriber(string path)
    {
        Client = new WakeWordClient(new WakeWordClientOptions { PipeName = path });
        _subscription = Client.WakeEvents.Subscribe(wake => _received.Enqueue((wake, DateTimeOffset.UtcNow)));
    }

    public WakeWordClient Client { get; }

    public IReadOnlyList<(WakeEventMessage Wake, DateTimeOffset ReceivedUtc)> Received => [.. _received];

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await Client.DisposeAsync();
    }
}
