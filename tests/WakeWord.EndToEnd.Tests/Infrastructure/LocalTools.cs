namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>The repository's local .NET tools (.config/dotnet-tools.json: dotnet-counters, PowerShell), restored once
/// per test run: two restores at once would race on the same package folders.</summary>
public static class LocalTools
{
    private static readonly Lazy<Task<ProcessResult>> Restore = new(() =>
        ProcessRunner.RunAsync(ProcessRunner.DotnetHost, ["tool", "restore"], timeout: TimeSpan.FromMinutes(5)));

    public static async Task RestoreAsync()
    {
        ProcessResult restore = await Restore.Value;
        Assert.True(restore.ExitCode == 0, restore.ToString());
    }
}
