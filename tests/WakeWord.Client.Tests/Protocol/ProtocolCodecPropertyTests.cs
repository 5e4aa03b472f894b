using System.Text;
using CsCheck;
using WakeWord.Tests.Support;
using WakeWord.Client.Protocol;

namespace WakeWord.Client.Tests.Protocol;

/// <summary>
/// The pipe protocol's decoders on hostile lines (random bytes, and real commands and server lines with characters
/// replaced): they never throw; a command they refuse comes with an error that has a known code and a message.
/// </summary>
public sealed class ProtocolCodecPropertyTests
{
    private static readonly string[] Known =
    [
        "{\"type\":\"subscribe\",\"words\":[\"computer\"]}", "{\"type\":\"ping\",\"id\":\"7\"}", "{\"type\":\"pause\"}",
        "{\"type\":\"resume\"}", "{\"type\":\"hello\",\"protocol\":1,\"service_version\":\"1\",\"words\":[\"computer\"],\"heartbeat_ms\":5000,\"max_line_bytes\":4096}",
        "{\"type\":\"event\",\"seq\":1,\"word\":\"computer\",\"model\":\"computer\",\"score\":0.9,\"threshold\":0.5,\"time_utc\":\"2026-01-01T00:00:00Z\",\"time_s\":1.5}",
    ];

    private static readonly string[] Codes =
        [ErrorCodes.MalformedJson, ErrorCodes.UnknownCommand, ErrorCodes.InvalidArgument, ErrorCodes.LineTooLong, ErrorCodes.TooManyClients];

    private static readonly Gen<byte[]> Lines = Gen.OneOf(
        Gen.Byte.Array[0, 300],
        Gen.Select(Gen.Int[0, Known.Length - 1], Gen.Int[0, 200], Gen.Char.Array[1, 6], (k, at, patch) =>
        {
            var text = new StringBuilder(Known[k]);
            for (int i = 0; i < patch.Length && at + i < text.Length; i++)
            {
                text[at + i] = patch[i];
            }

            return Encoding.UTF8.GetBytes(text.ToString());
        }));

    [Fact]
    public void CommandDecoderNeverThrowsAndNamesWhatItRefuses() => Lines.Sample(line =>
    {
        bool ok = ProtocolCodec.TryDecodeCommand(line, out ClientCommand? command, out ErrorMessage? error);
        if (ok)
        {
            Assert.NotNull(command);
        }
        else
        {
            Assert.NotNull(error);
            Assert.Contains(error!.Code, Codes);
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
        }
    }, iter: 3000, time: FuzzBudget.Seconds, threads: 1);

    [Fact]
    public void ServerDecoderNeverThrows() => Lines.Sample(line =>
    {
        bool ok = ProtocolCodec.TryDecodeServer(line, out ServerMessage? message, out _);
        Assert.True(!ok || message is not null);
    }, iter: 3000, time: FuzzBudget.Seconds, threads: 1);
}
