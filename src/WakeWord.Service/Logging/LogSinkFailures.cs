namespace WakeWord.Service.Logging;

/// <summary>
/// Says on standard error (the journal under systemd) when a log sink cannot write: a log folder that is read-only,
/// missing for this user, or on a full disk. Serilog swallows a sink's failure and reports it only to its SelfLog,
/// which is off by default, so the file log would stop without a word while the console log goes on. One line names
/// the sink's problem (the path and the system's reason), at most once per interval with the count held back, because
/// a failing sink fails on every event.
/// </summary>
public sealed class LogSinkFailures(TextWriter output, TimeProvider time, TimeSpan interval)
{
    private readonly LogRateLimiter _limiter = new(time, interval);

    /// <summary>Takes one SelfLog message: a timestamp, Serilog's text and the exception with its stack trace.</summary>
    public void Report(string selfLogMessage)
    {
        if (!_limiter.TryEnter(out long heldBack))
        {
            return;
        }

        string problem = Summary(selfLogMessage);
        string more = heldBack > 0 ? $"; {heldBack} more since the last such line" : "";
        DateTimeOffset now = time.GetLocalNow();
        output.WriteLine($"[{now:HH:mm:ss.fff} WRN] A log sink cannot write: {problem}. The service goes on; the console log has every line (this message at most once per {interval.TotalSeconds:F0} s{more})");
        output.Flush();
    }

    /// <summary>The message without SelfLog's timestamp and without stack frames, on one line.</summary>
    public static string Summary(string selfLogMessage)
    {
        string[] lines = selfLogMessage.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var kept = new List<string>(lines.Length);
        foreach (string line in lines)
        {
            if (line.StartsWith("at ", StringComparison.Ordinal) || line.StartsWith("--- End of", StringComparison.Ordinal))
            {
                continue;
            }

            kept.Add(line);
        }

        string text = string.Join(" ", kept);

        // SelfLog prefixes each message with an ISO 8601 timestamp and a space.
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && DateTimeOffset.TryParse(text.AsSpan(0, space), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
        {
            text = text[(space + 1)..];
        }

        return text.TrimEnd('.');
    }
}
