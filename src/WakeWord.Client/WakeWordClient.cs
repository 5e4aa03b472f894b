using System.IO.Pipes;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Reactive.Threading.Tasks;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using WakeWord.Client.Protocol;

namespace WakeWord.Client;

/// <summary>
/// Subscribes to the wake-word service's event pipe. One background loop connects (retrying until the service is
/// there), reads lines, publishes them, and reconnects after the service restarts or goes silent for longer than the
/// heartbeat timeout. Subscription and pause state are re-sent after every reconnect.
/// Observers are called on that loop's thread, one message at a time: they must not block.
/// </summary>
public sealed class WakeWordClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultSilenceBeforeHello = TimeSpan.FromSeconds(15);

    private readonly WakeWordClientOptions _options;
    private readonly Subject<ServerMessage> _messages = new();
    private readonly BehaviorSubject<ConnectionState> _states = new(ConnectionState.Disconnected);
    private readonly Subject<TimeSpan> _retryDelays = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstConnect = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _startLock = new();
    private Task? _loop;
    private NamedPipeClientStream? _stream;
    private IReadOnlyList<string>? _words;
    private bool _paused;
    private long _pingCounter;
    private bool _accepted; // the current connection got past the hello (only the loop touches it)

    public WakeWordClient(WakeWordClientOptions? options = null)
    {
        _options = options ?? new WakeWordClientOptions();
        _options.Validate();
        _words = _options.Words;

        // Decode one wake line now: the first real event should not wait for JIT and serializer setup.
        ProtocolCodec.TryDecodeServer(ProtocolCodec.EncodeLine(new WakeEventMessage(0, "w", "w", 0, 0, DateTimeOffset.UnixEpoch, 0)).AsSpan()[..^1], out _, out _);
    }

    /// <summary>Every line the service sends (hello, wake, status, heartbeat, pong, ack, error).</summary>
    public IObservable<ServerMessage> Messages => _messages.AsObservable();

    /// <summary>Wake events only.</summary>
    public IObservable<WakeEventMessage> WakeEvents => _messages.OfType<WakeEventMessage>();

    /// <summary>Connection state changes; replays the current state to a new subscriber.</summary>
    public IObservable<ConnectionState> States => _states.AsObservable();

    /// <summary>
    /// Each wait before the next connection attempt, as it starts: the backoff (doubling from RetryDelay up to
    /// MaxRetryDelay, reset by a connection the service accepted) times a random factor in [0.5, 1.5), so that many
    /// clients refused together (too many clients, a service restart) do not come back in step.
    /// </summary>
    public IObservable<TimeSpan> RetryDelays => _retryDelays.AsObservable();

    /// <summary>The service's refusal of the latest connection (e.g. too many clients); null once one is accepted.</summary>
    public ErrorMessage? LastRefusal { get; private set; }

    /// <summary>The current connection state.</summary>
    public ConnectionState State => _states.Value;

    /// <summary>The hello of the current (or last) connection.</summary>
    public HelloMessage? Hello { get; private set; }

    /// <summary>
    /// The wake words the service listens for: from the hello of each connection, then from every "model_reloaded"
    /// status (the service swapped its models). Empty before the first connection.
    /// </summary>
    public IReadOnlyList<string> Words { get; private set; } = [];

    /// <summary>The socket path or pipe name of the current (or last) connection attempt.</summary>
    public string? PipePath { get; private set; }

    /// <summary>Number of times a connection was established (1 after the first connect, 2 after one reconnect...).</summary>
    public int ConnectionCount { get; private set; }

    /// <summary>
    /// Starts the background loop if needed and waits until the first connection is up. Throws
    /// <see cref="UnauthorizedAccessException"/> when the pipe exists but this user may not open it (retrying cannot help).
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        await _firstConnect.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Wake events as they arrive, across reconnects, until the token fires or the client is disposed. Like any async
    /// stream it subscribes when enumeration starts (the first MoveNextAsync): events before that are not kept.
    /// </summary>
    public IAsyncEnumerable<WakeEventMessage> ReadWakeEventsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(WakeEvents, cancellationToken);

    /// <summary>Every message as it arrives, across reconnects.</summary>
    public IAsyncEnumerable<ServerMessage> ReadMessagesAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(Messages, cancellationToken);

    /// <summary>Sends a ping and waits for its pong.</summary>
    public async Task<PongMessage> PingAsync(CancellationToken cancellationToken = default)
    {
        string id = "p" + Interlocked.Increment(ref _pingCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pong = _messages.OfType<PongMessage>().Where(p => p.Id == id).FirstAsync().ToTask(cancellationToken);
        await SendAsync(new PingCommand { Id = id }, cancellationToken).ConfigureAwait(false);
        return await pong.ConfigureAwait(false);
    }

    /// <summary>Asks the service how it is doing (source, models, uptime, events, clients) and waits for the answer.</summary>
    public async Task<ServiceStatusMessage> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        string id = "s" + Interlocked.Increment(ref _pingCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var answer = _messages.Where(m => m is ServiceStatusMessage s && s.Id == id || m is ErrorMessage e && e.Id == id)
            .FirstAsync().ToTask(cancellationToken);
        await SendAsync(new StatusCommand { Id = id }, cancellationToken).ConfigureAwait(false);
        return await answer.ConfigureAwait(false) switch
        {
            ServiceStatusMessage status => status,
            ErrorMessage error => throw new InvalidOperationException($"The service refused the status command: {error.Message} ({error.Code})"),
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    /// <summary>Stops wake events to this client (kept across reconnects); the service keeps detecting for others.</summary>
    public Task PauseAsync(CancellationToken cancellationToken = default)
    {
        _paused = true;
        return SendIfConnectedAsync(new PauseCommand(), cancellationToken);
    }

    /// <summary>Undoes <see cref="PauseAsync"/>.</summary>
    public Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        _paused = false;
        return SendIfConnectedAsync(new ResumeCommand(), cancellationToken);
    }

    /// <summary>Receive only these words (null: all). Kept across reconnects.</summary>
    public Task SubscribeAsync(IReadOnlyList<string>? words, CancellationToken cancellationToken = default)
    {
        if (words is { } w && (w.Count == 0 || w.Any(string.IsNullOrWhiteSpace)))
        {
            throw new ArgumentException("Words must be null (all words) or a non-empty list of non-empty words.", nameof(words));
        }

        _words = words;
        return SendIfConnectedAsync(new SubscribeCommand(words), cancellationToken);
    }

    /// <summary>Sends one command on the current connection; throws <see cref="InvalidOperationException"/> when not connected.</summary>
    public async Task SendAsync(ClientCommand command, CancellationToken cancellationToken = default)
    {
        NamedPipeClientStream stream = _stream ?? throw new InvalidOperationException("Not connected to the wake-word service.");
        await WriteAsync(stream, ProtocolCodec.EncodeLine(command), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _stream?.Dispose();
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Cancellation, or a failure the loop already reported through Messages: disposing never throws.
            }
        }

        _firstConnect.TrySetCanceled();
        SetState(ConnectionState.Closed);
        _messages.OnCompleted();
        _states.OnCompleted();
        _retryDelays.OnCompleted();
        _stop.Dispose();
        _writeLock.Dispose();
    }

    private void EnsureStarted()
    {
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        lock (_startLock)
        {
            _loop ??= Task.Run(() => RunAsync(_stop.Token));
        }
    }

    private async IAsyncEnumerable<T> ReadAsync<T>(IObservable<T> source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Unbounded: the consumer owns its pace; the service bounds what it sends us.
        var channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        Exception? failure = null;
        using IDisposable subscription = source.Subscribe(
            item => channel.Writer.TryWrite(item),
            error =>
            {
                failure = error;
                channel.Writer.TryComplete();
            },
            () => channel.Writer.TryComplete());
        EnsureStarted();
        await foreach (T? item in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }

        // Rethrown as it was (e.g. UnauthorizedAccessException), not wrapped by the channel.
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        TimeSpan delay = _options.RetryDelay;
        while (!stop.IsCancellationRequested)
        {
            SetState(ConnectionState.Connecting);
            NamedPipeClientStream? stream = null;
            try
            {
                stream = await TryConnectOnceAsync(stop).ConfigureAwait(false);
            }
            catch (UnauthorizedAccessException e) when (!_firstConnect.Task.IsCompleted)
            {
                // The pipe is there but this user may not open it: report it instead of retrying forever.
                var denied = new UnauthorizedAccessException(
                    $"Permission denied opening the wake-word event pipe '{PipePath}': {e.Message}", e);
                _firstConnect.TrySetException(denied);
                SetState(ConnectionState.Closed);
                _messages.OnError(denied);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                stream = null;
            }

            if (stream is null)
            {
                await BackOffAsync(delay, stop).ConfigureAwait(false);
                delay = Next(delay);
                continue;
            }

            _accepted = false;
            try
            {
                await ServeConnectionAsync(stream, stop).ConfigureAwait(false);
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // Lost connection, heartbeat timeout (a cancelled read), or an observer that threw: drop this
                // connection and reconnect rather than let the loop die silently.
            }
            finally
            {
                _stream = null;
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            if (stop.IsCancellationRequested)
            {
                return;
            }

            SetState(ConnectionState.Disconnected);
            if (!_options.Reconnect)
            {
                SetState(ConnectionState.Closed);
                _messages.OnCompleted();
                return;
            }

            // A connection that was served and then ended (a restart) is retried soon; one the service refused or
            // closed before its hello backs off like a failed attempt, so a full service is not hammered.
            if (_accepted)
            {
                delay = _options.RetryDelay;
            }

            await BackOffAsync(delay, stop).ConfigureAwait(false);
            delay = Next(delay);
        }
    }

    private TimeSpan Next(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));

    private async Task BackOffAsync(TimeSpan delay, CancellationToken stop)
    {
        var jittered = TimeSpan.FromTicks((long)(delay.Ticks * (0.5 + Random.Shared.NextDouble())));
        // The wait starts (its timer is armed) before it is announced: whoever hears of it may move the clock at once.
        var wait = Task.Delay(jittered, _options.TimeProvider, stop);
        _retryDelays.OnNext(jittered);
        await wait.ConfigureAwait(false);
    }

    private async Task<NamedPipeClientStream?> TryConnectOnceAsync(CancellationToken stop)
    {
        string path = PipeLocations.ResolveForClient(_options.PipeName);
        PipePath = path;
        if (!OperatingSystem.IsWindows() && Path.IsPathRooted(path) && !File.Exists(path) && !UnixSocketProbe.MayExist(path))
        {
            return null; // Not there yet (service not started); do not spin inside ConnectAsync.
        }

        var stream = new NamedPipeClientStream(".", path, PipeDirection.InOut, PipeOptions.Asynchronous);
        try
        {
            await stream.ConnectAsync(1000, stop).ConfigureAwait(false);
            return stream;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            // On Unix the socket's errno comes through as is: EACCES means this user may not connect.
            await stream.DisposeAsync().ConfigureAwait(false);
            if (e.SocketErrorCode == System.Net.Sockets.SocketError.AccessDenied)
            {
                throw new UnauthorizedAccessException($"Access to '{path}' is denied.", e);
            }

            return null;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ServeConnectionAsync(NamedPipeClientStream stream, CancellationToken stop)
    {
        _stream = stream;
        Hello = null;
        var reader = new LineReader(stream, ProtocolInfo.MaxServerLineBytes);
        bool first = true;
        while (true)
        {
            TimeSpan silence = _options.HeartbeatTimeout
                ?? (Hello is { HeartbeatIntervalMs: > 0 } h ? TimeSpan.FromMilliseconds(3.0 * h.HeartbeatIntervalMs) : DefaultSilenceBeforeHello);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(silence);
            (LineReadStatus status, ReadOnlyMemory<byte> line) = await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false);
            if (status != LineReadStatus.Line)
            {
                return; // Service closed the connection (or sent garbage we will not buffer): reconnect.
            }

            if (!ProtocolCodec.TryDecodeServer(line.Span, out ServerMessage? message, out _) || message is null)
            {
                continue; // A line we cannot read is skipped, like an unknown type.
            }

            if (message is HelloMessage hello)
            {
                Hello = hello;
                Words = hello.Words;
            }
            else if (message is StatusEvent { Status: StatusKinds.ModelReloaded, Words: { } reloaded })
            {
                Words = reloaded;
            }

            if (first && message is ErrorMessage refusal)
            {
                // Refused before the hello (too many clients): not connected; the loop backs off and tries again.
                LastRefusal = refusal;
                _messages.OnNext(message);
                return;
            }

            if (first)
            {
                first = false;
                _accepted = true;
                LastRefusal = null;
                ConnectionCount++;
                await RestoreStateAsync(stream, stop).ConfigureAwait(false);
                SetState(ConnectionState.Connected);
                _firstConnect.TrySetResult();
            }

            _messages.OnNext(message);
        }
    }

    private async Task RestoreStateAsync(NamedPipeClientStream stream, CancellationToken stop)
    {
        if (_words is not null)
        {
            await WriteAsync(stream, ProtocolCodec.EncodeLine(new SubscribeCommand(_words)), stop).ConfigureAwait(false);
        }

        if (_paused)
        {
            await WriteAsync(stream, ProtocolCodec.EncodeLine(new PauseCommand()), stop).ConfigureAwait(false);
        }
    }

    private async Task SendIfConnectedAsync(ClientCommand command, CancellationToken cancellationToken)
    {
        if (_stream is { } stream)
        {
            try
            {
                await WriteAsync(stream, ProtocolCodec.EncodeLine(command), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // Disconnected meanwhile: the state is re-sent after the reconnect.
            }
        }
    }

    private async Task WriteAsync(Stream stream, byte[] line, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void SetState(ConnectionState state)
    {
        if (_states.Value != state && !_states.IsDisposed)
        {
            _states.OnNext(state);
        }
    }
}
