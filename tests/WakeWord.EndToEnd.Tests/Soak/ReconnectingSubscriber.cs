using WakeWord.Client;
using WakeWord.Client.Protocol;

namespace WakeWord.EndToEnd.Tests.Soak;

/// <summary>A subscriber that connects, stays for a seeded 2-5 minutes of audio, disconnects and connects again, until
/// stopped. It keeps what each connection received, so a test can check that every connection
/// saw each event at most once, in order and without a gap, and that the gaps between connections are what it missed.</summary>
internal sealed class ReconnectingSubscriber : IAsyncDisposable
{
    private readonly string path;
    private readonly Func<double> audioS;
    private readonly Random random;
    private readonly CancellationTokenSource stop = new();
    private readonly Task cycling;
    private readonly List<List<WakeEventMessage>> connections = [];

    /// <param name="audioS">Seconds of audio given to the service so far: the clock this client's stays are measured on.</param>
    public ReconnectingSubscriber(string path, Func<double> audioS, int seed)
    {
        this.path = path;
        this.audioS = audioS;
        random = new Random(seed);
        cycling = Task.Run(CycleAsync);
    }

    /// <summary>What each connection so far received, in the order it arrived.</summary>
    public IReadOnlyList<IReadOnlyList<WakeEventMessage>> Connections
    {
        get
        {
            lock (connections)
            {
                return [.. connections.Select(c => (IReadOnlyList<WakeEventMessage>)[.. c])];
            }
        }
    }

    /// <summary>Stops cycling (and closes the open connection); safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            await stop.CancelAsync();
        }

        await cycling;
    }

    private async Task CycleAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var mine = new List<WakeEventMessage>();
            await using var client = new WakeWordClient(new WakeWordClientOptions { PipeName = path, Reconnect = false });
            using IDisposable subscription = client.WakeEvents.Subscribe(wake =>
            {
                lock (connections)
                {
                    mine.Add(wake);
                }
            });
            try
            {
                await client.ConnectAsync(stop.Token);
                lock (connections)
                {
                    connections.Add(mine);
                }

                double leaveAt = audioS() + 120 + random.Next(180);
                while (audioS() < leaveAt)
                {
                    await Task.Delay(20, stop.Token); // polls the audio clock
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
