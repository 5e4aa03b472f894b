using WakeWord.EndToEnd.Tests.Infrastructure;

namespace WakeWord.EndToEnd.Tests.Deploy;

/// <summary>
/// deploy/linux/install.sh with --dry-run and --root (DESTDIR): a dry run lists each step and changes nothing, a root
/// install puts every file of the layout under the root and nothing anywhere else (no user, no systemctl), an upgrade
/// there keeps an edited config. The full install on the machine itself, as root, is deploy/linux/ci-check.sh's.
/// </summary>
public sealed class LinuxInstallScriptTests : IDisposable
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "deploy", "linux", "install.sh");
    private readonly string _folder = Directory.CreateTempSubdirectory("wakeword-install-sh-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [LinuxFact]
    public async Task A_dry_run_under_a_root_lists_every_step_and_writes_nothing()
    {
        string root = Directory.CreateDirectory(Path.Combine(_folder, "root")).FullName;
        bool userBefore = await UserExistsAsync();

        ProcessResult result = await InstallAsync(null, "--dry-run", "--root", root, "--from", Published());

        Assert.True(result.ExitCode == 0, result.ToString());
        string[] steps = [.. result.StdoutLines.Where(l => l.StartsWith("install.sh: would run: ", StringComparison.Ordinal))];
        Assert.Contains(steps, s => s.Contains($"cp -R {Published()} {root}/opt/wakeword.new", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.EndsWith($"appsettings.json {root}/etc/wakeword/appsettings.json", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.EndsWith($"wakeword.service {root}/etc/systemd/system/wakeword.service", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.EndsWith($"wakeword-user.service {root}/etc/systemd/user/wakeword.service", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
        Assert.Equal(userBefore, await UserExistsAsync());
    }

    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_root_install_puts_the_layout_under_the_root_and_an_upgrade_there_keeps_an_edited_config(bool destdir)
    {
        string root = Directory.CreateDirectory(Path.Combine(_folder, "root")).FullName;
        bool userBefore = await UserExistsAsync();
        bool optBefore = Directory.Exists("/opt/wakeword");
        Dictionary<string, string>? environment = destdir ? new() { ["DESTDIR"] = root } : null;
        string[] rootOption = destdir ? [] : ["--root", root];

        ProcessResult first = await InstallAsync(environment, [.. rootOption, "--from", Published()]);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(File.Exists(Path.Combine(root, "opt/wakeword/wakeword-service")), first.ToString());
        Assert.Equal(File.ReadAllText(Path.Combine(Published(), "appsettings.json")), File.ReadAllText(Path.Combine(root, "etc/wakeword/appsettings.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy/linux/wakeword.service")), File.ReadAllText(Path.Combine(root, "etc/systemd/system/wakeword.service")));
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy/linux/wakeword-user.service")), File.ReadAllText(Path.Combine(root, "etc/systemd/user/wakeword.service")));
        Assert.Contains("not creating the user", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("skipped systemctl", first.Stdout, StringComparison.Ordinal);
        Assert.Equal(userBefore, await UserExistsAsync());
        Assert.Equal(optBefore, Directory.Exists("/opt/wakeword"));

        string config = Path.Combine(root, "etc/wakeword/appsettings.json");
        File.WriteAllText(config, "{ \"edited\": true }");
        ProcessResult upgrade = await InstallAsync(environment, [.. rootOption, "--from", Published()]);

        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.Equal("{ \"edited\": true }", File.ReadAllText(config));
        Assert.True(File.Exists(config + ".dist"), upgrade.ToString());
        Assert.False(Directory.Exists(Path.Combine(root, "opt/wakeword.old")));
    }

    [LinuxTheory]
    [InlineData("--root", "install.sh: --root needs a folder")]
    [InlineData("--root /no/such/folder", "install.sh: --root '/no/such/folder' is not a folder")]
    [InlineData("--dry-run --from /no/such/folder", "install.sh: '/no/such/folder' is not a published service folder")]
    [InlineData("--whatif", "install.sh: unknown option '--whatif' (try --help)")]
    public async Task A_bad_option_is_one_line_naming_it(string arguments, string message)
    {
        ProcessResult result = await InstallAsync(null, arguments.Split(' '));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(message, Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    /// <summary>A folder that looks published to the script (it checks for an executable wakeword-service and the settings).</summary>
    private string Published()
    {
        string dir = Path.Combine(_folder, "published");
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(Path.Combine(dir, "models"));
            File.WriteAllText(Path.Combine(dir, "wakeword-service"), "#!/bin/sh\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path.Combine(dir, "wakeword-service"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            File.Copy(Path.Combine(RepoPaths.Root, "src/WakeWord.Service/appsettings.json"), Path.Combine(dir, "appsettings.json"));
            File.WriteAllText(Path.Combine(dir, "models", "computer.onnx"), "not a model: the script does not look inside");
        }

        return dir;
    }

    private static Task<ProcessResult> InstallAsync(Dictionary<string, string>? environment, params string[] arguments) =>
        ProcessRunner.RunAsync("bash", [Script, .. arguments], environment: environment, timeout: TimeSpan.FromMinutes(1));

    private static async Task<bool> UserExistsAsync() => (await ProcessRunner.RunAsync("getent", ["passwd", "wakeword"])).ExitCode == 0;
}
