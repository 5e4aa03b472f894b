using System.IO.Pipes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WakeWord.Client.Protocol;

namespace WakeWord.Service.Events;

/// <summary>
/// One subscriber. Lines for it go through a bounded queue that drops the oldest line when full (counted in
/// <see cref="Dropped"/>), so publishing never waits for this client. A writer loop drains the queue with a write
/// timeout (a client that stops reading, or whose peer vanished, is closed); a reader loop answers its commands.
/// </summary>
internal sealed partial class PipeClientConnection
{
    private readonly PipeStream _stream;
    private readonly Channel<byte[]> _queue;
    private readonly EventsOptions _options;
    private readonly TimeSpan _writeTimeout;
    private readonly PipeCommandHandler _commands;
    private readonly ClientSubscription _subscription = new();
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closed = new();
    private long _dropped;

    /// <param name="onDropped">Called for each line dropped from this client's full queue (the service's total).</param>
    public PipeClientConnection(long id, PipeStream stream, EventsOptions options, PipeCommandHandler commands, Action onDropped, ILogger logger)
    {
        Id = id;
        _stream = stream;
        _options = options;
        _writeTimeout = TimeSpan.FromSeconds(options.WriteTimeoutSeconds);
        _commands = commands;
        _logger = logger;
        _queue = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(options.QueueCapacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
            },
            _ =>
            {
                Interlocked.Increment(ref _dropped);
                onDropped();
            });
    }

    public long Id { get; }

    /// <summary>Lines dropped because this client's queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>No more lines: the writer sends what is queued and the connection then closes (the server is stopping).</summary>
    public void Finish() => _queue.Writer.TryComplete();

    /// <summary>Queues a line; never blocks.</summary>
    public void Offer(byte[] line) => _queue.Writer.TryWrite(line);

    /// <summary>Queues a wake event unless this connection is paused or not subscribed to the word.</summary>
    public void OfferWake(string word, byte[] line)
    {
        if (_subscription.Wants(word))
        {
            Offer(line);
        }
    }

    /// <summary>Serves (the hello is already queued) until the client leaves, misbehaves, or the server stops.</summary>
    public async Task RunAsync(CancellationToken serverStopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(serverStopping, _closed.Token);
        Task writer = WriteLoopAsync(linked.Token);
        Task reader = ReadLoopAsync(linked.Token);
        await Task.WhenAny(writer, reader).ConfigureAwait(false);

        // Whichever ended first, the other stops too; the writer first flushes a final error line if one was queued.
        _queue.Writer.TryComplete();
        await Task.WhenAny(writer, Task.Delay(_writeTimeout, CancellationToken.None)).ConfigureAwait(false);
        await _closed.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(Swallow(writer), Swallow(reader)).ConfigureAwait(false);
        LogClosed(_logger, Id, Dropped);
        _closed.Dispose();
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        await foreach (byte[]? line in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_writeTimeout);
            try
            {
                await _stream.WriteAsync(line, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LogWriteTimeout(_logger, Id, _writeTimeout.TotalSeconds);
                return;
            }
            catch (IOException e)
            {
                LogWriteFailed(_logger, Id, e.Message);
                return;
            }
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var reader = new LineReader(_stream, _options.MaxLineBytes);
        while (true)
        {
            LineReadStatus status;
            ReadOnlyMemory<byte> line;
            try
            {
                (status, line) = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return; // Reset by peer.
            }

            if (status == LineReadStatus.EndOfStream)
            {
                return;
            }

            if (status == LineReadStatus.TooLong)
            {
                LogLineTooLong(_logger, Id, _options.MaxLineBytes);
                Offer(ProtocolCodec.EncodeLine(new ErrorMessage(ErrorCodes.LineTooLong,
                    $"Lines are limited to {_options.MaxLineBytes} bytes; closing the connection.")));
                return;
            }

            if (line.IsEmpty)
            {
                continue; // Blank lines are harmless (e.g. a client that sends "\r\n" keep-alives).
            }

            Offer(Handle(line.Span));

            // A client that sends commands faster than it reads the answers is slowed down here (its commands stay in
            // its socket) instead of losing answers; wake events still drop-oldest as usual. Only this client waits.
            while (_queue.Reader.Count >= _options.QueueCapacity / 2 + 1)
            {
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private byte[] Handle(ReadOnlySpan<byte> line)
    {
        if (!ProtocolCodec.TryDecodeCommand(line, out ClientCommand? command, out ErrorMessage? error))
        {
            LogBadCommand(_logger, Id, error!.Code);
            return ProtocolCodec.EncodeLine(error);
        }

        return ProtocolCodec.EncodeLine(_commands.Answer(command!, _subscription));
    }

    private static async Task Swallow(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The connection is closing; these are how its loops learn it.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event client {Id} closed ({Dropped} lines dropped)")]
    private static partial void LogClosed(ILogger logger, long id, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event client {Id}: a write took longer than {Seconds} s; closing it")]
    private static partial void LogWriteTimeout(ILogger logger, long id, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event client {Id}: write failed ({Reason})")]
    private static partial void LogWriteFailed(ILogger logger, long id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event client {Id} sent a line over {Max} bytes; closing it")]
    private static partial void LogLineTooLong(ILogger logger, long id, int max);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event client {Id} sent a bad command ({Code})")]
    private static partial void LogBadCommand(ILogger logger, long id, string code);
}
