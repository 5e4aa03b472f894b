using WakeWord.Client;
using WakeWord.Client.Protocol;

namespace WakeWord.EndToEnd.Tests.Soak;

/// <summary>A subscriber that connects, stays for a seeded 2-5 minutes of audio, disconnects and connects again, until
/// stopped. It keeps what each connection received, so a test can check that every connection
/// saw each event at most once, in order and without a gap, and that the gaps between connections are what it missed.</summary>
internal sealed class ReconnectingSubscriber : IAsyncDisposable
{
    private readonly string _path;
    private readonly Func<double> _audioS;
    private readonly Random _random;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _cycling;
    private readonly List<List<WakeEventMessage>> _connections = [];

    /// <param name="audioS">Seconds of audio given to the service so far: the clock this client's stays are measured on.</param>
    public ReconnectingSubscriber(string path, Func<double> audioS, int seed)
    {
        _path = path;
        _audioS = audioS;
        _random = new Random(seed);
        _cycling = Task.Run(CycleAsync);
    }

    /// <summary>What each connection so far received, in the order it arrived.</summary>
    public IReadOnlyList<IReadOnlyList<WakeEventMessage>> Connections
    {
        get
        {
            lock (_connections)
            {
                return [.. _connections.Select(c => (IReadOnlyList<WakeEventMessage>)[.. c])];
            }
        }
    }

    /// <summary>Stops cycling (and closes the open connection); safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _cycling;
    }

    private async Task CycleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var mine = new List<WakeEventMessage>();
            await using var client = new WakeWordClient(new WakeWordClientOptions { PipeName = _path, Reconnect = false });
            using IDisposable subscription = client.WakeEvents.Subscribe(wake =>
            {
                lock (_connections)
                {
                    mine.Add(wake);
                }
            });
            try
            {
                await client.ConnectAsync(_stop.Token);
                lock (_connections)
                {
                    _connections.Add(mine);
                }

                double leaveAt = _audioS() + 120 + _random.Next(180);
                while (_audioS() < leaveAt)
                {
                    await Task.Delay(20, _stop.Token); // polls the audio clock
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
