using WakeWord.EndToEnd.Tests.Infrastructure;

namespace WakeWord.EndToEnd.Tests.Cli;

/// <summary>`wakeword` as a .NET tool: packed per platform (.NET 10 RID-specific tool packages), installed into a tool
/// folder, run from there.</summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wakeword-tool-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_packed_tool_installs_only_its_platform_and_detects_with_its_shipped_models()
    {
        // After the shared publish (the portable build is done): packing publishes one package per platform of
        // ToolPackageRuntimeIdentifiers, each in its own obj/ folder, and a small package that points at them.
        await PublishedApps.GetAsync();
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        string packages = Path.Combine(_folder, "packages");
        string tools = Path.Combine(_folder, "tools");
        ProcessResult pack = await ProcessRunner.RunAsync(ProcessRunner.DotnetHost,
            ["pack", Path.Combine(RepoPaths.Root, "src", "WakeWord.Cli", "WakeWord.Cli.csproj"), "-c", configuration, "-o", packages, "--nologo"],
            timeout: TimeSpan.FromMinutes(8));
        Assert.True(pack.ExitCode == 0, pack.ToString());
        string pointer = Assert.Single(Directory.GetFiles(packages, "WakeWord.Cli.0*.nupkg"));
        Assert.InRange(new FileInfo(pointer).Length, 1, 1_000_000); // names the platform packages, holds no binaries
        string here = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        string platform = Assert.Single(Directory.GetFiles(packages, $"WakeWord.Cli.{here}.*.nupkg"));
        Assert.InRange(new FileInfo(platform).Length, 1_000_000, 40_000_000); // this platform's ONNX Runtime and SkiaSharp only

        ProcessResult install = await ProcessRunner.RunAsync(ProcessRunner.DotnetHost,
            ["tool", "install", "WakeWord.Cli", "--tool-path", tools, "--add-source", packages], timeout: TimeSpan.FromMinutes(5));
        Assert.True(install.ExitCode == 0, install.ToString());
        // What a user's disk pays (README.md says 86 MB on linux-x64, measured with du -sh on the tool folder): one
        // platform-neutral package for 16 platforms made it 535 MB.
        long installed = new DirectoryInfo(tools).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        Assert.InRange(installed, 10_000_000, 120_000_000);

        string wakeword = Path.Combine(tools, OperatingSystem.IsWindows() ? "wakeword.exe" : "wakeword");
        ProcessResult detect = await ProcessRunner.RunAsync(wakeword, ["detect", RepoPaths.Audio("computer_real_1.wav"), "--word", "computer"]);
        Assert.True(detect.ExitCode == 0, detect.ToString());
        Assert.Contains(detect.StdoutLines, l => l.StartsWith("event time_s=", StringComparison.Ordinal) && l.Contains("word=computer", StringComparison.Ordinal));

        ProcessResult status = await ProcessRunner.RunAsync(wakeword, ["status", "--pipe", Path.Combine(_folder, "none.sock")]);
        Assert.Equal(5, status.ExitCode);
    }
}
