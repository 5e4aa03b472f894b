using System.Globalization;
using System.Text.RegularExpressions;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>The service's log line for a "computer" wake event (ServiceLog.WakeDetected), and what tests read from it.</summary>
public static partial class WakeLogLine
{
    public const string Computer = "Wake word \"computer\" detected";

    /// <summary>How many "computer" wake lines the output holds.</summary>
    public static int CountIn(string output) => output.Split('\n').Count(l => l.Contains(Computer, StringComparison.Ordinal));

    /// <summary>The audio offset a wake line reports.</summary>
    public static TimeSpan AudioOffset(string line) =>
        TimeSpan.Parse(OffsetPattern().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"audio offset (\d\d:\d\d:\d\d(\.\d+)?)")]
    private static partial Regex OffsetPattern();
}
