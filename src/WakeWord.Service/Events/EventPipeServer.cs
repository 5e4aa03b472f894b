using System.IO.Pipes;
using Microsoft.Extensions.Logging;
using WakeWord.Client.Protocol;
using WakeWord.Core.Detection;
using WakeWord.Service.Hub;
using WakeWord.Service.Logging;
using WakeWord.Service.Status;

namespace WakeWord.Service.Events;

/// <summary>
/// Serves wake events to any number of local subscribers over a named pipe (a Unix socket on Linux). Publishing
/// encodes a line once and offers it to every client's bounded queue without waiting, so detection never blocks on a
/// client. The pipe's place and permissions are <see cref="PipeEndpoint"/>'s, accepting <see cref="PipeAcceptor"/>'s,
/// the set of clients <see cref="PipeClients"/>', the answers to commands <see cref="PipeCommandHandler"/>'s.
/// </summary>
public sealed partial class EventPipeServer : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly LogRateLimiter _refusalLog;
    private readonly PipeEndpoint _endpoint;
    private readonly PipeAcceptor _acceptor;
    private readonly PipeClients _clients;
    private readonly PipeCommandHandler _commands;
    private readonly CancellationTokenSource _stopping = new();

    // Separate from _stopping: at stop the connections first write what is queued for them (the last wake events).
    private readonly CancellationTokenSource _closingClients = new();
    private volatile string[] _words = [];
    private long _sequence;

    // A wake's sequence is taken and its line queued under this, as a heartbeat's "last sequence" is read and its line
    // queued: a client never gets a heartbeat naming a wake that is still to come after it.
    private readonly Lock _sequenceGate = new();
    private long _nextClientId;
    private Task? _acceptLoop;
    private Task? _heartbeatLoop;

    /// <param name="status">Answers the status command; null where the server runs without the detection service.</param>
    /// <param name="counters">Where the clients and dropped lines are counted (the hub's, for the meter and the status board).</param>
    public EventPipeServer(EventsOptions options, ILogger<EventPipeServer> logger, TimeProvider? timeProvider = null,
        ServiceStatusBoard? status = null, PipeCounters? counters = null)
    {
        Options = options;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _refusalLog = new LogRateLimiter(_time, TimeSpan.FromSeconds(10));
        _endpoint = new PipeEndpoint(options.ResolvePipePath(), options.Group);
        _acceptor = new PipeAcceptor(_endpoint, logger);
        _clients = new PipeClients(counters ?? new PipeCounters());
        _commands = new PipeCommandHandler(_time, status);
        WriteTimeout = TimeSpan.FromSeconds(options.WriteTimeoutSeconds);
    }

    internal EventsOptions Options { get; }

    internal TimeSpan WriteTimeout { get; }

    /// <summary>At stop, how long connections may take to write what is queued for them.</summary>
    internal TimeSpan FlushAtStop => WriteTimeout < TimeSpan.FromSeconds(2) ? WriteTimeout : TimeSpan.FromSeconds(2);

    /// <summary>The socket path (Unix) or pipe name (Windows) being served.</summary>
    public string PipePath => _endpoint.Path;

    /// <summary>Clients connected now.</summary>
    public int ClientCount => _clients.Count;

    /// <summary>Lines dropped for slow clients since start (full queues), those that have left included.</summary>
    public long DroppedLines => _clients.Counters.DroppedLines;

    /// <summary>Sequence number of the last wake event published.</summary>
    public long LastSequence => Interlocked.Read(ref _sequence);

    /// <summary>
    /// Creates the pipe (on Unix: the folder if missing, the socket, its mode and group) and starts accepting. Throws
    /// <see cref="EventPipeException"/> with a message naming the path when that fails, e.g. when another service holds it.
    /// </summary>
    public void Start(IReadOnlyList<string> words)
    {
        _words = [.. words];
        NamedPipeServerStream first = _endpoint.Open();

        // Encode once now so the first real wake event does not pay for JIT and serializer setup on the audio thread.
        _ = ProtocolCodec.EncodeLine(new WakeEventMessage(0, "", "", 0, 0, _time.GetUtcNow(), 0));

        // Connections end at _closingClients, after their last lines.
        _acceptLoop = Task.Run(() => _acceptor.RunAsync(first, stream => Admit(stream, _closingClients.Token), _stopping.Token));
        _heartbeatLoop = Task.Run(() => HeartbeatLoopAsync(_stopping.Token));
        LogListening(_logger, PipePath, string.IsNullOrWhiteSpace(Options.Group) ? "(none: owner only)" : Options.Group);
    }

    /// <summary>Sends a wake event to every client that wants it. Never waits on a client (lines are queued); safe from any thread.</summary>
    public long PublishWake(WakeEvent wake)
    {
        ArgumentNullException.ThrowIfNull(wake);
        lock (_sequenceGate)
        {
            long sequence = Interlocked.Increment(ref _sequence);
            byte[] line = ProtocolCodec.EncodeLine(new WakeEventMessage(sequence, wake.Word, wake.ModelId, wake.Score, wake.Threshold,
                wake.TimeUtc.ToUniversalTime(), wake.AudioOffset.TotalSeconds));
            foreach (PipeClientConnection client in _clients.All)
            {
                client.OfferWake(wake.Word, line);
            }

            return sequence;
        }
    }

    /// <summary>Sends a status change (<see cref="StatusKinds"/>) to every client, and to each that connects later.</summary>
    public void PublishStatus(string status, string message, DateTimeOffset time) =>
        _clients.BroadcastStatus(ProtocolCodec.EncodeLine(new StatusEvent(status, message, time.ToUniversalTime())));

    /// <summary>Replaces the loaded words (shown in later hellos) and tells every client with a "model_reloaded" status.</summary>
    public void PublishModelsReloaded(IReadOnlyList<string> words, string message)
    {
        _words = [.. words];
        _clients.Broadcast(ProtocolCodec.EncodeLine(new StatusEvent(StatusKinds.ModelReloaded, message, _time.GetUtcNow(), _words)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Swallow(_acceptLoop).ConfigureAwait(false);
        await Swallow(_heartbeatLoop).ConfigureAwait(false);
        Task[] connections = _clients.Tasks();

        // Every client gets the lines already queued for it, within a bound that keeps a stop under 5 s even with a
        // client that does not read; then whatever is left is closed.
        foreach (PipeClientConnection client in _clients.All)
        {
            client.Finish();
        }

        await Task.WhenAny(Task.WhenAll(connections), Task.Delay(FlushAtStop, CancellationToken.None)).ConfigureAwait(false);
        await _closingClients.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(connections).ConfigureAwait(false);
        _closingClients.Dispose();
        _stopping.Dispose();
    }

    private void Admit(NamedPipeServerStream stream, CancellationToken stopping)
    {
        if (_clients.Count >= Options.MaxClients)
        {
            if (_refusalLog.TryEnter(out long heldBack))
            {
                LogTooManyClients(_logger, Options.MaxClients, heldBack, _refusalLog.Interval.TotalSeconds);
            }

            _clients.Track(RunRejectedAsync(stream, stopping));
            return;
        }

        long id = Interlocked.Increment(ref _nextClientId);
        PipeCounters counters = _clients.Counters;
        var connection = new PipeClientConnection(id, stream, Options, _commands, counters.LineDropped, _logger);
        _clients.Admit(connection, ProtocolCodec.EncodeLine(new HelloMessage(ProtocolInfo.Version, ServiceVersion.Current, _words,
            (int)Math.Round(Options.HeartbeatSeconds * 1000), Options.MaxLineBytes) { Commands = MessageTypes.Commands }));
        LogConnected(_logger, id, _clients.Count);
        _clients.Track(RunConnectionAsync(connection, stopping));
    }

    private async Task RunConnectionAsync(PipeClientConnection connection, CancellationToken stopping)
    {
        try
        {
            await connection.RunAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A bug in one connection must not take the service down.
            LogConnectionCrashed(_logger, e, connection.Id);
        }
        finally
        {
            _clients.Remove(connection);
        }
    }

    private async Task RunRejectedAsync(NamedPipeServerStream stream, CancellationToken stopping)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(WriteTimeout);
            await stream.WriteAsync(ProtocolCodec.EncodeLine(new ErrorMessage(ErrorCodes.TooManyClients,
                $"The service allows {Options.MaxClients} clients at once; try again later.")), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // It gets closed either way.
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Options.HeartbeatSeconds), _time);
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
        {
            DateTimeOffset now = _time.GetUtcNow();
            lock (_sequenceGate)
            {
                long sequence = LastSequence;
                foreach (PipeClientConnection client in _clients.All)
                {
                    client.Offer(ProtocolCodec.EncodeLine(new HeartbeatMessage(now, sequence, client.Dropped)));
                }
            }
        }
    }

    private static async Task Swallow(Task? task)
    {
        if (task is null)
        {
            return;
        }

        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving wake events on {Path} (group {Group})")]
    private static partial void LogListening(ILogger logger, string path, string group);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event client {Id} connected ({Count} now)")]
    private static partial void LogConnected(ILogger logger, long id, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an event client: already {Max} connected (Events:MaxClients); {HeldBack} more refused since the last such line (at most one per {Seconds} s)")]
    private static partial void LogTooManyClients(ILogger logger, int max, long heldBack, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event client {Id} failed")]
    private static partial void LogConnectionCrashed(ILogger logger, Exception exception, long id);
}
