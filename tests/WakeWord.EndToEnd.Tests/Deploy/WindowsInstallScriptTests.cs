using WakeWord.EndToEnd.Tests.Infrastructure;

namespace WakeWord.EndToEnd.Tests.Deploy;

/// <summary>
/// deploy/windows/*.ps1 under PowerShell (the repository's local tool, `dotnet pwsh`): no Windows machine is here, so
/// the scripts are parsed and run with -WhatIf, and the steps they plan are checked. A dry run must change nothing.
/// </summary>
public sealed class WindowsInstallScriptTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wakeword-ps1-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Script(string name) => Path.Combine(RepoPaths.Root, "deploy", "windows", name);

    /// <summary>A folder that looks published for win-x64 (the dry run copies nothing, so empty files do).</summary>
    private string Published()
    {
        string dir = Directory.CreateDirectory(Path.Combine(_folder, "published")).FullName;
        File.WriteAllText(Path.Combine(dir, "wakeword-service.exe"), "");
        File.WriteAllText(Path.Combine(dir, "appsettings.json"), "{ \"shipped\": 2 }");
        return dir;
    }

    private static async Task<ProcessResult> PwshAsync(params string[] arguments)
    {
        await LocalTools.RestoreAsync();
        return await ProcessRunner.RunAsync(ProcessRunner.DotnetHost, ["pwsh", "-NoProfile", "-NonInteractive", .. arguments],
            timeout: TimeSpan.FromMinutes(2));
    }

    private static string[] Plan(ProcessResult result) =>
        [.. result.StdoutLines.Where(l => l.StartsWith("plan: ", StringComparison.Ordinal)).Select(l => l["plan: ".Length..])];

    [Theory]
    [InlineData("install.ps1")]
    [InlineData("uninstall.ps1")]
    [InlineData("layout.ps1")]
    public async Task The_script_parses_without_errors(string name)
    {
        ProcessResult result = await PwshAsync("-Command",
            $"$e = $null; [void][System.Management.Automation.Language.Parser]::ParseFile('{Script(name)}', [ref]$null, [ref]$e); " +
            "$e | ForEach-Object { $_.ToString() }; 'errors: ' + $e.Count");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("errors: 0", result.StdoutLines[^1]);
    }

    [Fact]
    public async Task A_first_install_plans_the_program_the_data_folder_the_service_with_recovery_its_environment_and_a_start()
    {
        string from = Published();
        ProcessResult result = await PwshAsync("-File", Script("install.ps1"), "-From", from,
            "-InstallDir", @"C:\Program Files\WakeWord", "-DataDir", @"C:\ProgramData\WakeWord", "-WhatIf");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
        [
            $@"copy {from} to C:\Program Files\WakeWord (replacing the old program as a whole)",
            @"create C:\ProgramData\WakeWord and C:\ProgramData\WakeWord\logs",
            @"icacls C:\ProgramData\WakeWord /inheritance:r /grant:r SYSTEM:(OI)(CI)F Administrators:(OI)(CI)F BUILTIN\Users:(OI)(CI)RX",
            @"copy the shipped settings to C:\ProgramData\WakeWord\appsettings.json",
            @"sc.exe create WakeWord binPath= ""C:\Program Files\WakeWord\wakeword-service.exe"" start= delayed-auto DisplayName= ""WakeWord wake-word detection""",
            @"sc.exe description WakeWord ""Listens to the microphone for a wake word and tells local programs over \\.\pipe\wakeword-events.""",
            "sc.exe failure WakeWord reset= 86400 actions= restart/5000/restart/5000/restart/30000",
            "sc.exe failureflag WakeWord 1",
            @"set the service environment (HKLM:\SYSTEM\CurrentControlSet\Services\WakeWord\Environment): " +
                @"WAKEWORD_CONFIG=C:\ProgramData\WakeWord\appsettings.json; Serilog__WriteTo__1__Args__path=C:\ProgramData\WakeWord\logs\wakeword-.log; Events__Group=BUILTIN\Users",
            "sc.exe start WakeWord",
        ], Plan(result));
        Assert.Equal("install.ps1: -WhatIf: nothing was changed", result.StdoutLines[^1]);
    }

    [Fact]
    public async Task Without_a_published_folder_it_plans_a_win_x64_self_contained_publish_first()
    {
        ProcessResult result = await PwshAsync("-File", Script("install.ps1"), "-InstallDir", @"C:\WW", "-DataDir", @"C:\WWData", "-PipeGroup", "WakeWordUsers", "-WhatIf");
        Assert.True(result.ExitCode == 0, result.ToString());
        string[] plan = Plan(result);
        Assert.Matches(@"^dotnet publish .*[/\\]src[/\\]WakeWord\.Service -c Release -r win-x64 --self-contained -o .*wakeword-publish-\d+$", plan[0]);
        Assert.Contains(plan, p => p.EndsWith("Events__Group=WakeWordUsers", StringComparison.Ordinal));
        Assert.Contains(@"icacls C:\WWData /inheritance:r /grant:r SYSTEM:(OI)(CI)F Administrators:(OI)(CI)F WakeWordUsers:(OI)(CI)RX", plan);
    }

    [Fact]
    public async Task An_upgrade_keeps_an_edited_config_and_plans_the_new_one_beside_it_and_changes_nothing_in_a_dry_run()
    {
        string from = Published();
        string program = Directory.CreateDirectory(Path.Combine(_folder, "prog")).FullName;
        string data = Directory.CreateDirectory(Path.Combine(_folder, "data")).FullName;
        File.WriteAllText(Path.Combine(program, "appsettings.json"), "{ \"shipped\": 1 }");
        File.WriteAllText(Path.Combine(data, "appsettings.json"), "{ \"edited\": true }");

        ProcessResult edited = await PwshAsync("-File", Script("install.ps1"), "-From", from, "-InstallDir", program, "-DataDir", data, "-WhatIf");
        Assert.True(edited.ExitCode == 0, edited.ToString());
        string config = Path.Combine(data, "appsettings.json");
        Assert.Contains($"keep the edited {config}; write the new shipped settings to {config}.dist", Plan(edited));
        Assert.Equal("{ \"edited\": true }", File.ReadAllText(config));
        Assert.Equal(["appsettings.json"], Directory.GetFileSystemEntries(data).Select(Path.GetFileName));
        Assert.Equal(["appsettings.json"], Directory.GetFileSystemEntries(program).Select(Path.GetFileName));

        // Unedited (the same bytes as the installed program's shipped file): the new shipped file replaces it.
        File.Copy(Path.Combine(program, "appsettings.json"), config, overwrite: true);
        ProcessResult unedited = await PwshAsync("-File", Script("install.ps1"), "-From", from, "-InstallDir", program, "-DataDir", data, "-WhatIf");
        Assert.Contains($"copy the shipped settings to {config}", Plan(unedited));
    }

    [Fact]
    public async Task Uninstall_removes_everything_but_an_edited_config()
    {
        string program = Directory.CreateDirectory(Path.Combine(_folder, "prog")).FullName;
        string data = Directory.CreateDirectory(Path.Combine(_folder, "data")).FullName;
        File.WriteAllText(Path.Combine(program, "appsettings.json"), "{ \"shipped\": 1 }");
        string config = Path.Combine(data, "appsettings.json");
        File.WriteAllText(config, "{ \"edited\": true }");

        ProcessResult edited = await PwshAsync("-File", Script("uninstall.ps1"), "-InstallDir", program, "-DataDir", data, "-WhatIf");
        Assert.True(edited.ExitCode == 0, edited.ToString());
        Assert.Equal([$"remove {program}", $"remove {data} except the edited {config}"], Plan(edited));

        File.Copy(Path.Combine(program, "appsettings.json"), config, overwrite: true);
        ProcessResult unedited = await PwshAsync("-File", Script("uninstall.ps1"), "-InstallDir", program, "-DataDir", data, "-WhatIf");
        Assert.Equal([$"remove {program}", $"remove {data}"], Plan(unedited));
        Assert.True(File.Exists(config), "a dry run removes nothing");
    }

    [Fact]
    public async Task A_folder_that_is_not_a_windows_publish_and_a_real_run_off_windows_are_refused_with_one_line()
    {
        string linuxPublish = Directory.CreateDirectory(Path.Combine(_folder, "linux")).FullName;
        File.WriteAllText(Path.Combine(linuxPublish, "wakeword-service"), "");
        ProcessResult notWindows = await PwshAsync("-File", Script("install.ps1"), "-From", linuxPublish, "-WhatIf");
        Assert.Equal(1, notWindows.ExitCode);
        Assert.Equal($"install.ps1: '{linuxPublish}' is not a published service folder (no wakeword-service.exe in it; publish with -r win-x64)",
            notWindows.Stderr.Trim());
        Assert.Empty(Plan(notWindows));

        ProcessResult real = await PwshAsync("-File", Script("install.ps1"), "-From", Published());
        Assert.Equal(1, real.ExitCode);
        Assert.Equal("install.ps1: this installs a Windows service; run it on Windows (or with -WhatIf to see the plan)", real.Stderr.Trim());
        ProcessResult realUninstall = await PwshAsync("-File", Script("uninstall.ps1"));
        Assert.Equal(1, realUninstall.ExitCode);
        Assert.StartsWith("uninstall.ps1: this removes a Windows service; run it on Windows", realUninstall.Stderr.Trim());
    }
}
