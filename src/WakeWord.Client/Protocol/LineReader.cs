namespace WakeWord.Client.Protocol;

/// <summary>What <see cref="LineReader.ReadLineAsync"/> found.</summary>
public enum LineReadStatus { Line, EndOfStream, TooLong }

/// <summary>
/// Reads '\n'-terminated lines from a stream into one fixed buffer, so a peer can never make the reader allocate more
/// than <c>maxLineBytes</c>. A returned line is valid until the next call. A trailing '\r' is removed.
/// </summary>
public sealed class LineReader
{
    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private readonly int _maxLineBytes;
    private int _start;
    private int _end;

    public LineReader(Stream stream, int maxLineBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = new byte[maxLineBytes + 1];
    }

    /// <summary>The next line (without its newline), end of stream, or TooLong when a line exceeds the limit.</summary>
    public async ValueTask<(LineReadStatus Status, ReadOnlyMemory<byte> Line)> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                int length = newline - _start;
                if (length > _maxLineBytes)
                {
                    return (LineReadStatus.TooLong, ReadOnlyMemory<byte>.Empty);
                }

                var line = new ReadOnlyMemory<byte>(_buffer, _start, length);
                _start = newline + 1;
                if (line.Length > 0 && line.Span[^1] == (byte)'\r')
                {
                    line = line[..^1];
                }

                return (LineReadStatus.Line, line);
            }

            if (_end - _start > _maxLineBytes)
            {
                return (LineReadStatus.TooLong, ReadOnlyMemory<byte>.Empty);
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (LineReadStatus.EndOfStream, ReadOnlyMemory<byte>.Empty);
            }

            _end += read;
        }
    }
}
