using System.Collections.Immutable;
using System.IO.Pipes;
using System.Reflection;
using Microsoft.Extensions.Logging;
using WakeWord.Client.Protocol;
using WakeWord.Service.Logging;
using WakeWord.Service.Status;
using WakeWord.Core.Detection;

namespace WakeWord.Service.Events;

/// <summary>
/// Serves wake events to any number of local subscribers over a named pipe (a Unix socket on Linux). Publishing
/// encodes a line once and offers it to every client's bounded queue without waiting, so detection never blocks on a
/// client. The accept loop runs until disposal and survives every client error.
/// </summary>
public sealed partial class EventPipeServer : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly LogRateLimiter _refusalLog;
    private readonly CancellationTokenSource _stopping = new();

    // Separate from _stopping: at stop the connections first write what is queued for them (the last wake events).
    private readonly CancellationTokenSource _closingClients = new();
    private readonly object _clientsLock = new();
    private readonly string _serviceVersion;
    private ImmutableArray<PipeClientConnection> _clients = [];
    private long _droppedByClosedClients;
    private volatile string[] _words = [];
    private volatile byte[]? _lastStatus;
    private long _sequence;
    private long _nextClientId;
    private NamedPipeServerStream? _pending;
    private Task? _acceptLoop;
    private Task? _heartbeatLoop;
    private readonly List<Task> _connectionTasks = [];
    private object? _windowsSecurity;

    private readonly ServiceStatusBoard? _status;

    public EventPipeServer(EventsOptions options, ILogger<EventPipeServer> logger, TimeProvider? timeProvider = null, ServiceStatusBoard? status = null)
    {
        Options = options;
        _status = status;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _refusalLog = new LogRateLimiter(_time, TimeSpan.FromSeconds(10));
        PipePath = options.ResolvePipePath();
        WriteTimeout = TimeSpan.FromSeconds(options.WriteTimeoutSeconds);
        _serviceVersion = typeof(EventPipeServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(EventPipeServer).Assembly.GetName().Version?.ToString() ?? "unknown";
    }

    internal EventsOptions Options { get; }

    internal TimeSpan WriteTimeout { get; }

    /// <summary>At stop, how long connections may take to write what is queued for them.</summary>
    internal TimeSpan FlushAtStop => WriteTimeout < TimeSpan.FromSeconds(2) ? WriteTimeout : TimeSpan.FromSeconds(2);

    /// <summary>The socket path (Unix) or pipe name (Windows) being served.</summary>
    public string PipePath { get; }

    /// <summary>Clients connected now.</summary>
    public int ClientCount => _clients.Length;

    /// <summary>Lines dropped for slow clients since start (full queues), those that have left included.</summary>
    public long DroppedLines
    {
        get
        {
            // Under the lock that moves a leaving client's count into the total, so none is counted twice or missed
            // and the counter never goes back.
            lock (_clientsLock)
            {
                long total = _droppedByClosedClients;
                foreach (PipeClientConnection client in _clients)
                {
                    total += client.Dropped;
                }

                return total;
            }
        }
    }

    /// <summary>Sequence number of the last wake event published.</summary>
    public long LastSequence => Interlocked.Read(ref _sequence);

    /// <summary>
    /// Creates the pipe (on Unix: the folder if missing, the socket, its mode and group) and starts accepting. Throws
    /// <see cref="EventPipeException"/> with a message naming the path when that fails, e.g. when another service holds it.
    /// </summary>
    public void Start(IReadOnlyList<string> words)
    {
        _words = [.. words];
        try
        {
            if (!OperatingSystem.IsWindows() && Path.IsPathRooted(PipePath))
            {
                PrepareUnixPath();
            }

            _pending = CreateInstance();
            if (!OperatingSystem.IsWindows())
            {
                SecureUnixSocket();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Principal.IdentityNotMappedException)
        {
            _pending?.Dispose();
            throw e as EventPipeException ?? new EventPipeException($"Cannot serve wake events on '{PipePath}' (Events:PipeName): {e.Message}", e);
        }

        // Encode once now so the first real wake event does not pay for JIT and serializer setup on the audio thread.
        _ = ProtocolCodec.EncodeLine(new WakeEventMessage(0, "", "", 0, 0, Now(), 0));

        _acceptLoop = Task.Run(() => AcceptLoopAsync(_stopping.Token));
        _heartbeatLoop = Task.Run(() => HeartbeatLoopAsync(_stopping.Token));
        LogListening(_logger, PipePath, string.IsNullOrWhiteSpace(Options.Group) ? "(none: owner only)" : Options.Group);
    }

    /// <summary>Sends a wake event to every client that wants it. Never blocks; safe from any thread.</summary>
    public long PublishWake(WakeEvent wake)
    {
        ArgumentNullException.ThrowIfNull(wake);
        long sequence = Interlocked.Increment(ref _sequence);
        byte[] line = ProtocolCodec.EncodeLine(new WakeEventMessage(sequence, wake.Word, wake.ModelId, wake.Score, wake.Threshold,
            wake.TimeUtc.ToUniversalTime(), wake.AudioOffset.TotalSeconds));
        foreach (PipeClientConnection client in _clients)
        {
            client.OfferWake(wake.Word, line);
        }

        return sequence;
    }

    /// <summary>Sends a status change (<see cref="StatusKinds"/>) to every client.</summary>
    public void PublishStatus(string status, string message, DateTimeOffset time)
    {
        byte[] line = ProtocolCodec.EncodeLine(new StatusEvent(status, message, time.ToUniversalTime()));
        lock (_clientsLock)
        {
            // Under the lock that admits clients: a new client gets either this line or the replay of it, in order.
            _lastStatus = line;
            Broadcast(line);
        }
    }

    /// <summary>Replaces the loaded words (shown in later hellos) and tells every client with a "model_reloaded" status.</summary>
    public void PublishModelsReloaded(IReadOnlyList<string> words, string message)
    {
        _words = [.. words];
        Broadcast(ProtocolCodec.EncodeLine(new StatusEvent(StatusKinds.ModelReloaded, message, Now(), _words)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _pending?.Dispose();
        await Swallow(_acceptLoop).ConfigureAwait(false);
        await Swallow(_heartbeatLoop).ConfigureAwait(false);
        Task[] connections;
        lock (_connectionTasks)
        {
            connections = [.. _connectionTasks];
        }

        // Every client gets the lines already queued for it, within a bound that keeps a stop under 5 s even with a
        // client that does not read; then whatever is left is closed.
        foreach (PipeClientConnection client in _clients)
        {
            client.Finish();
        }

        await Task.WhenAny(Task.WhenAll(connections), Task.Delay(FlushAtStop, CancellationToken.None)).ConfigureAwait(false);
        await _closingClients.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(connections).ConfigureAwait(false);
        _closingClients.Dispose();
        _stopping.Dispose();
    }

    internal DateTimeOffset Now() => _time.GetUtcNow();

    /// <summary>The answer to a client's status command.</summary>
    internal ServerMessage StatusAnswer(string? id) => _status is { } board
        ? board.Snapshot(id, _serviceVersion, ClientCount, DroppedLines)
        : new ErrorMessage(ErrorCodes.Unavailable, "This server keeps no service status (it runs without the detection service).", id);

    private void Broadcast(byte[] line)
    {
        foreach (PipeClientConnection client in _clients)
        {
            client.Offer(line);
        }
    }

    private NamedPipeServerStream CreateInstance()
    {
        if (OperatingSystem.IsWindows())
        {
            _windowsSecurity ??= WindowsPipeFactory.CreateSecurity(Options.Group);
            return WindowsPipeFactory.Create(PipePath, (PipeSecurity)_windowsSecurity);
        }

        return new NamedPipeServerStream(PipePath, PipeDirection.InOut, NamedPipeServerStream.MaxAllowedServerInstances,
            PipeTransmissionMode.Byte, PipeOptions.Asynchronous);
    }

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        int failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            NamedPipeServerStream current = _pending!;
            NamedPipeServerStream? next = null;
            try
            {
                // The next instance exists before this one accepts: on Unix all instances share one listening socket
                // that .NET closes (and unlinks) when the last instance goes, so there must never be zero.
                next = CreateInstance();
                await current.WaitForConnectionAsync(stopping).ConfigureAwait(false);
                failures = 0;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                next?.Dispose();
                current.Dispose();
                return;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // A client that connects and vanishes at once can fail the accept, and so can running out of file
                // descriptors (a SocketException): whatever it is, back off a little and keep serving.
                failures++;
                LogAcceptFailed(_logger, PipePath, e.Message);
                current.Dispose();
                if (next is not null)
                {
                    _pending = next;
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 50 * (failures - 1))), stopping).ConfigureAwait(false);
                }
                else
                {
                    _pending = await RecreateAfterDelayAsync(failures, stopping).ConfigureAwait(false);
                }

                continue;
            }

            _pending = next;
            Admit(current, _closingClients.Token); // connections end at _closingClients, after their last lines
        }
    }

    private async Task<NamedPipeServerStream> RecreateAfterDelayAsync(int failures, CancellationToken stopping)
    {
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * failures)), stopping).ConfigureAwait(false);
            try
            {
                NamedPipeServerStream instance = CreateInstance();
                if (!OperatingSystem.IsWindows())
                {
                    SecureUnixSocket();
                }

                return instance;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                failures++;
                LogAcceptFailed(_logger, PipePath, e.Message);
            }
        }
    }

    private void Admit(NamedPipeServerStream stream, CancellationToken stopping)
    {
        if (_clients.Length >= Options.MaxClients)
        {
            if (_refusalLog.TryEnter(out long heldBack))
            {
                LogTooManyClients(_logger, Options.MaxClients, heldBack, _refusalLog.Interval.TotalSeconds);
            }

            Track(RunRejectedAsync(stream, stopping));
            return;
        }

        long id = Interlocked.Increment(ref _nextClientId);
        var connection = new PipeClientConnection(id, stream, this, _logger);

        // The hello is queued before the connection is visible to publishers, so it is always the first line.
        connection.Offer(ProtocolCodec.EncodeLine(new HelloMessage(ProtocolInfo.Version, _serviceVersion, _words,
            (int)Math.Round(Options.HeartbeatSeconds * 1000), Options.MaxLineBytes) { Commands = MessageTypes.Commands }));
        lock (_clientsLock)
        {
            _clients = _clients.Add(connection);

            // A client that connects later still learns the audio source's state (e.g. that the device is lost now).
            if (_lastStatus is { } status)
            {
                connection.Offer(status);
            }
        }

        LogConnected(_logger, id, _clients.Length);
        Track(RunConnectionAsync(connection, stopping));
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
            lock (_clientsLock)
            {
                _clients = _clients.Remove(connection);
                _droppedByClosedClients += connection.Dropped;
            }
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

    private void Track(Task task)
    {
        lock (_connectionTasks)
        {
            _connectionTasks.RemoveAll(t => t.IsCompleted);
            _connectionTasks.Add(task);
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Options.HeartbeatSeconds), _time);
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
        {
            DateTimeOffset now = Now();
            long sequence = LastSequence;
            foreach (PipeClientConnection client in _clients)
            {
                client.Offer(ProtocolCodec.EncodeLine(new HeartbeatMessage(now, sequence, client.Dropped)));
            }
        }
    }

    private void PrepareUnixPath()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string directory = Path.GetDirectoryName(PipePath)!;
        if (!Directory.Exists(directory))
        {
            // A folder we create is ours: owner rwx, group r-x, others nothing.
            Directory.CreateDirectory(directory, UnixSocketPermissions.DirectoryMode);
            if (GroupId() is { } gid)
            {
                UnixSocketPermissions.SetGroup(directory, gid);
            }
        }

        if (File.Exists(PipePath) && IsServedByAnother())
        {
            throw new EventPipeException($"Another process is already serving wake events on '{PipePath}' (Events:PipeName); stop it or choose another path.");
        }
    }

    private bool IsServedByAnother()
    {
        try
        {
            using var probe = new NamedPipeClientStream(".", PipePath, PipeDirection.InOut);
            probe.Connect(200);
            return true;
        }
        catch (Exception e) when (e is IOException or TimeoutException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            return false; // Stale socket from a crash (.NET replaces it when it binds), or not ours to probe (binding will say).
        }
    }

    private void SecureUnixSocket()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // A bare name is where .NET puts it (System.IO.Pipes on Unix: <temp>/CoreFxPipe_<name>).
        string socketPath = Path.IsPathRooted(PipePath) ? PipePath : Path.Combine(Path.GetTempPath(), "CoreFxPipe_" + PipePath);
        File.SetUnixFileMode(socketPath, UnixSocketPermissions.SocketMode);
        if (GroupId() is { } gid)
        {
            UnixSocketPermissions.SetGroup(socketPath, gid);
        }
    }

    private uint? GroupId()
    {
        if (OperatingSystem.IsWindows() || string.IsNullOrWhiteSpace(Options.Group))
        {
            return null;
        }

        return UnixSocketPermissions.TryGetGroupId(Options.Group.Trim(), out uint gid)
            ? gid
            : throw new IOException($"Events:Group '{Options.Group}' is not a group on this machine.");
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting an event client on {Path} failed: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an event client: already {Max} connected (Events:MaxClients); {HeldBack} more refused since the last such line (at most one per {Seconds} s)")]
    private static partial void LogTooManyClients(ILogger logger, int max, long heldBack, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event client {Id} failed")]
    private static partial void LogConnectionCrashed(ILogger logger, Exception exception, long id);
}
