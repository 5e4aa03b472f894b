using Microsoft.Extensions.Time.Testing;
using WakeWord.Service.Logging;

namespace WakeWord.Service.Tests.Logging;

public sealed class LogSinkFailuresTests
{
    // What Serilog's SelfLog hands over when the file sink's folder is read-only (seen from the published service).
    private const string Denied =
        "2026-12-04T02:41:40.1930000Z Caught exception while emitting to sink Serilog.Sinks.File.RollingFileSink: " +
        "System.UnauthorizedAccessException: Access to the path '/var/log/wakeword/wakeword-20261204.log' is denied.\n" +
        " ---> System.IO.IOException: Permission denied\n" +
        "   --- End of inner exception stack trace ---\n" +
        "   at Microsoft.Win32.SafeHandles.SafeFileHandle.Init(String path, FileMode mode)\n" +
        "   at Serilog.Sinks.File.RollingFileSink.OpenFile(DateTime now, Nullable`1 minSequence)\n";

    [Fact]
    public void The_summary_keeps_the_path_and_the_reason_on_one_line_without_timestamp_or_stack()
    {
        string summary = LogSinkFailures.Summary(Denied);

        Assert.StartsWith("Caught exception while emitting to sink Serilog.Sinks.File.RollingFileSink:", summary, StringComparison.Ordinal);
        Assert.Contains("'/var/log/wakeword/wakeword-20261204.log' is denied", summary, StringComparison.Ordinal);
        Assert.Contains("Permission denied", summary, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-12-04T", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_without_a_timestamp_is_kept_whole()
    {
        Assert.Equal("Failed to open log file x", LogSinkFailures.Summary("Failed to open log file x"));
    }

    [Fact]
    public void One_line_per_interval_then_the_next_says_how_many_were_held_back()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 2, 41, 40, TimeSpan.Zero));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        var output = new StringWriter();
        var failures = new LogSinkFailures(output, time, TimeSpan.FromMinutes(1));

        for (int i = 0; i < 50; i++)
        {
            failures.Report(Denied);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        string[] lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("[02:41:40.000 WRN] A log sink cannot write: Caught exception", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("(this message at most once per 60 s)", lines[0], StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(10)); // 60 s after the first
        failures.Report(Denied);
        lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("; 49 more since the last such line)", lines[1], StringComparison.Ordinal);
    }
}
