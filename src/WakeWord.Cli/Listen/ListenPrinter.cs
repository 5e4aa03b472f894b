using System.Globalization;
using System.Text;
using WakeWord.Client.Protocol;

namespace WakeWord.Cli.Listen;

/// <summary>`listen` output: wake and status events as text lines or as the protocol's JSON lines.</summary>
public sealed class ListenPrinter(TextWriter output, bool json)
{
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Prints wake and status events; other messages (hello, heartbeat, acks) are not events and are skipped.</summary>
    public void Print(ServerMessage message)
    {
        if (message is not (WakeEventMessage or StatusEvent))
        {
            return;
        }

        if (json)
        {
            output.Write(Encoding.UTF8.GetString(ProtocolCodec.EncodeLine(message)));
        }
        else if (message is WakeEventMessage wake)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{FormatTime(wake.Time)} wake {wake.Word} score {wake.Score:0.000} threshold {wake.Threshold:0.000} offset {wake.AudioOffsetS:0.00} s model {wake.ModelId} #{wake.Sequence}"));
        }
        else if (message is StatusEvent status)
        {
            string words = status.Words is { } w ? $" (words: {string.Join(", ", w)})" : "";
            output.WriteLine($"{FormatTime(status.Time)} status {status.Status}: {status.Message}{words}");
        }

        output.Flush();
    }
}
