using WakeWord.EndToEnd.Tests.Infrastructure;

namespace WakeWord.EndToEnd.Tests.Cli;

/// <summary>`wakeword` as a .NET tool: packed from the built CLI, installed into a tool folder, run from there.</summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wakeword-tool-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_packed_tool_installs_and_detects_with_its_shipped_models()
    {
        // After the shared publish, which has built the CLI: packing then only packs (no second build in the same obj/).
        await PublishedApps.GetAsync();
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        string packages = Path.Combine(_folder, "packages");
        string tools = Path.Combine(_folder, "tools");
        ProcessResult pack = await ProcessRunner.RunAsync(ProcessRunner.DotnetHost,
            ["pack", Path.Combine(RepoPaths.Root, "src", "WakeWord.Cli", "WakeWord.Cli.csproj"), "-c", configuration, "--no-build", "-o", packages, "--nologo"],
            timeout: TimeSpan.FromMinutes(5));
        Assert.True(pack.ExitCode == 0, pack.ToString());
        string package = Assert.Single(Directory.GetFiles(packages, "WakeWord.Cli.*.nupkg"));
        Assert.InRange(new FileInfo(package).Length, 1_000_000, 200_000_000); // no Android or iOS runtimes (they made it 240 MB)

        ProcessResult install = await ProcessRunner.RunAsync(ProcessRunner.DotnetHost,
            ["tool", "install", "WakeWord.Cli", "--tool-path", tools, "--add-source", packages], timeout: TimeSpan.FromMinutes(5));
        Assert.True(install.ExitCode == 0, install.ToString());

        string wakeword = Path.Combine(tools, OperatingSystem.IsWindows() ? "wakeword.exe" : "wakeword");
        ProcessResult detect = await ProcessRunner.RunAsync(wakeword, ["detect", RepoPaths.Audio("computer_real_1.wav"), "--word", "computer"]);
        Assert.True(detect.ExitCode == 0, detect.ToString());
        Assert.Contains(detect.StdoutLines, l => l.StartsWith("event time_s=", StringComparison.Ordinal) && l.Contains("word=computer", StringComparison.Ordinal));

        ProcessResult status = await ProcessRunner.RunAsync(wakeword, ["status", "--pipe", Path.Combine(_folder, "none.sock")]);
        Assert.Equal(5, status.ExitCode);
    }
}
