using WakeWord.EndToEnd.Tests.Infrastructure;

namespace WakeWord.EndToEnd.Tests.Cli;

internal static class CliAssert
{
    /// <summary>The contract for every failure: the exit code, one line on stderr naming the problem, no stack trace.</summary>
    public static void FailsWith(ProcessResult result, int exitCode, params string[] messageParts)
    {
        Assert.True(result.ExitCode == exitCode, $"expected exit {exitCode}; {result}");
        string first = result.StderrLines.FirstOrDefault() ?? "";
        Assert.StartsWith("wakeword: ", first);
        foreach (string part in messageParts)
        {
            Assert.Contains(part, first);
        }

        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.DoesNotContain("Exception", result.Stderr);
        Assert.Equal("", result.Stdout);
    }
}
