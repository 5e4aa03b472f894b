using System.Text;
using WakeWord.Client.Protocol;

namespace WakeWord.Client.Tests.Protocol;

public sealed class LineReaderTests
{
    [Fact]
    public async Task Splits_lines_across_reads_and_strips_cr()
    {
        // A stream that hands out one byte per read exercises every split point.
        var reader = new LineReader(new OneByteStream("ab\r\n\ncd\nef"u8.ToArray()), 16);
        Assert.Equal("ab", await Next(reader));
        Assert.Equal("", await Next(reader));
        Assert.Equal("cd", await Next(reader));
        (LineReadStatus status, ReadOnlyMemory<byte> _) = await reader.ReadLineAsync(CancellationToken.None);
        Assert.Equal(LineReadStatus.EndOfStream, status); // "ef" had no newline: not a line
    }

    [Fact]
    public async Task Exactly_the_limit_is_a_line_one_more_is_too_long()
    {
        string text = new string('x', 8) + "\n" + new string('y', 9) + "\n";
        var reader = new LineReader(new MemoryStream(Encoding.ASCII.GetBytes(text)), 8);
        Assert.Equal(new string('x', 8), await Next(reader));
        Assert.Equal(LineReadStatus.TooLong, (await reader.ReadLineAsync(CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Too_long_is_reported_without_waiting_for_a_newline()
    {
        // 9 bytes and then the stream would block forever: the reader must not wait for more.
        var reader = new LineReader(new BlockingAfter(Encoding.ASCII.GetBytes(new string('z', 9))), 8);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal(LineReadStatus.TooLong, (await reader.ReadLineAsync(cts.Token)).Status);
    }

    private static async Task<string> Next(LineReader reader)
    {
        (LineReadStatus status, ReadOnlyMemory<byte> line) = await reader.ReadLineAsync(CancellationToken.None);
        Assert.Equal(LineReadStatus.Line, status);
        return Encoding.ASCII.GetString(line.Span);
    }

    private sealed class OneByteStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }

    private sealed class BlockingAfter(byte[] data) : MemoryStream(data)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read = await base.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return read;
        }
    }
}
