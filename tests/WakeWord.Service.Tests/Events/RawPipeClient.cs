using System.IO.Pipes;
using WakeWord.Client.Protocol;

namespace WakeWord.Service.Tests.Events;

/// <summary>A bare protocol peer over a real pipe: writes raw bytes, reads and decodes server lines.</summary>
internal sealed class RawPipeClient : IAsyncDisposable
{
    private readonly NamedPipeClientStream _stream;
    private readonly LineReader _reader;

    private RawPipeClient(NamedPipeClientStream stream)
    {
        _stream = stream;
        _reader = new LineReader(stream, ProtocolInfo.MaxServerLineBytes);
    }

    public Stream Stream => _stream;

    public static async Task<RawPipeClient> ConnectAsync(string path, bool expectHello = true)
    {
        var stream = new NamedPipeClientStream(".", path, PipeDirection.InOut, PipeOptions.Asynchronous);
        await stream.ConnectAsync(5000);
        var client = new RawPipeClient(stream);
        if (expectHello)
        {
            Assert.IsType<HelloMessage>(await client.ReadAsync());
        }

        return client;
    }

    public Task SendAsync(string text) => SendAsync(System.Text.Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>The next server message (heartbeats included); null at end of stream.</summary>
    public async Task<ServerMessage?> ReadAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        (LineReadStatus status, ReadOnlyMemory<byte> line) = await _reader.ReadLineAsync(cts.Token);
        if (status == LineReadStatus.EndOfStream)
        {
            return null;
        }

        Assert.Equal(LineReadStatus.Line, status);
        Assert.True(ProtocolCodec.TryDecodeServer(line.Span, out ServerMessage? message, out ErrorMessage? error), error?.Message);
        return message;
    }

    /// <summary>The next message that is not a heartbeat.</summary>
    public async Task<ServerMessage?> ReadSkippingHeartbeatsAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            ServerMessage? message = await ReadAsync(timeout);
            if (message is not HeartbeatMessage)
            {
                return message;
            }
        }
    }

    public async Task<T> ReadAsync<T>(TimeSpan? timeout = null) where T : ServerMessage
    {
        ServerMessage? message = await ReadSkippingHeartbeatsAsync(timeout);
        return Assert.IsType<T>(message);
    }

    /// <summary>True when the server closed the connection (reads to end, skipping what is still queued).</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan timeout)
    {
        try
        {
            while (true)
            {
                using var cts = new CancellationTokenSource(timeout);
                (LineReadStatus status, ReadOnlyMemory<byte> _) = await _reader.ReadLineAsync(cts.Token);
                if (status == LineReadStatus.EndOfStream)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
