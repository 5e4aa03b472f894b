using WakeWord.Tests.Shared;
using WakeWord.Tests.Support;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real systemd, private to one test: PID 1 of its own PID and mount namespaces (tests/scripts/boot-systemd.sh),
/// running one service unit the test writes, so a test can watch what systemd itself does with the service (readiness,
/// the watchdog, restarts) where the machine has no systemd as its init, as in CI. Needs root.
/// </summary>
public sealed class PrivateSystemd : IDisposable
{
    /// <summary>
    /// The test unit's name, one per test host: systemd names a PrivateTmp= unit's folders in the host's /tmp and
    /// /var/tmp after the unit, so <see cref="Dispose"/> can delete exactly this host's when systemd left them (once, in a
    /// suite run under load), and two runs at once never share one.
    /// </summary>
    public static readonly string ServiceName = $"wakeword-test-{Environment.ProcessId}.service";

    private readonly string _folder;
    private readonly string _pid;

    private PrivateSystemd(string folder, string pid)
    {
        _folder = folder;
        _pid = pid;
    }

    /// <summary>Why this machine cannot boot one (not root, no systemd, no namespaces), or null when it can.</summary>
    public static string? WhyNot { get; } = ProbeWhyNot();

    /// <summary>What systemd logged about the units (start, watchdog, failure, restart).</summary>
    public string Log => File.ReadAllText(Path.Combine(_folder, "systemd.log"));

    /// <summary>Boots systemd with <paramref name="serviceUnit"/> as <see cref="ServiceName"/> (it must say
    /// DefaultDependencies=no) and a target that wants it; returns once systemd is running.</summary>
    public static PrivateSystemd Boot(string folder, string serviceUnit)
    {
        string units = Path.Combine(folder, "units");
        Directory.CreateDirectory(units);
        File.WriteAllText(Path.Combine(units, ServiceName), serviceUnit);
        File.WriteAllText(Path.Combine(units, "wakeword-test.target"),
            $"[Unit]\nDescription=WakeWord test target\nDefaultDependencies=no\nWants={ServiceName}\n");
        (int code, string output) = Script(folder);
        string? line = output.Split('\n').FirstOrDefault(l => l.StartsWith("SYSTEMD_PID=", StringComparison.Ordinal));
        if (code != 0 || line is null)
        {
            Script("--stop", folder);
            throw new InvalidOperationException($"boot-systemd.sh exited {code}: {output}");
        }

        return new PrivateSystemd(folder, line["SYSTEMD_PID=".Length..].Trim());
    }

    /// <summary>One property of the service as `systemctl show` gives it (ActiveState, MainPID, NRestarts, Result).</summary>
    public string Show(string property) => Systemctl("show", "--property=" + property, "--value", ServiceName).Trim();

    /// <summary>`systemctl status` of the service, for failure messages.</summary>
    public string Status() => Systemctl("status", "--no-pager", "--lines=0", ServiceName);

    public void Dispose()
    {
        // Stopped by systemd first, so that systemd removes what it made for the unit in the host's /tmp (a
        // PrivateTmp= unit's systemd-private-* folders); killing systemd alone left them.
        try
        {
            Systemctl("stop", ServiceName);
        }
        finally
        {
            Script("--stop", _folder);
            foreach (string tmp in new[] { "/tmp", "/var/tmp" })
            {
                foreach (string left in Directory.Exists(tmp) ? Directory.GetDirectories(tmp, $"systemd-private-*-{ServiceName}-*") : [])
                {
                    RunLeftovers.TryDelete(left);
                }
            }
        }
    }

    /// <summary>The absolute path of a program on PATH (a unit's ExecStart= wants one).</summary>
    public static string Resolve(string program) =>
        Path.IsPathRooted(program) ? program : SearchPath.Find(program) ?? throw new FileNotFoundException(program + " is not on PATH");

    private string Systemctl(params string[] arguments)
    {
        (_, string output) = Run("nsenter", ["-t", _pid, "-m", "-p", "systemctl", .. arguments]);
        return output;
    }

    private static string? ProbeWhyNot()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "Linux only: boots a private systemd.";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "Needs root: boots a private systemd in new PID and mount namespaces.";
        }

        return Script("--can-boot").Code == 0
            ? null
            : "This machine cannot boot a private systemd (needs /lib/systemd/systemd, unshare, nsenter, cgroup2 and namespaces): apt-get install systemd";
    }

    private static (int Code, string Output) Script(params string[] arguments) =>
        Run(Path.Combine(RepoPaths.Root, "tests", "scripts", "boot-systemd.sh"), arguments);

    private static (int Code, string Output) Run(string file, string[] arguments)
    {
        ProcessResult result = ProcessRunner.Run(file, arguments, timeout: TimeSpan.FromSeconds(30));
        return (result.ExitCode, result.Stdout + result.Stderr);
    }
}
