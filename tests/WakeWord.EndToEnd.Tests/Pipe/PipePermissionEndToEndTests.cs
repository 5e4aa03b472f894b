using System.Diagnostics;
using WakeWord.EndToEnd.Tests.Infrastructure;
using WakeWord.EndToEnd.Tests.Service;

namespace WakeWord.EndToEnd.Tests.Pipe;

/// <summary>
/// The published service with Events:Group set, and `wakeword listen` run as two other local users: one outside the
/// group is refused with a clear message, one inside it connects.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PipePermissionEndToEndTests : IDisposable
{
    private const string Group = "wwe2egrp";
    private const string Outsider = "wwe2e_out";
    private const string Member = "wwe2e_in";
    private readonly ServiceScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [LinuxRootFact]
    public async Task Only_members_of_the_events_group_can_listen()
    {
        EnsureUsers();
        // The scratch folder is 0700; open it so that only the service's own folder inside decides.
        File.SetUnixFileMode(_scratch.Folder, (UnixFileMode)0b111_101_101);
        string socket = Path.Combine(_scratch.Folder, "run", "events.sock");
        PublishedApps apps = await PublishedApps.GetAsync();
        await using ServiceProcess service = apps.StartService(null, _scratch.Arguments(ServiceScratch.TinyModel(
            "--Audio:Source=stdin", $"--Events:PipeName={socket}", $"--Events:Group={Group}")));
        await service.WaitForLineAsync("Serving wake events on");

        ProcessResult refused = await ProcessRunner.RunAsync("runuser",
            ["-u", Outsider, "--", ProcessRunner.DotnetHost, apps.CliDll, "listen", "--pipe", socket, "--count", "1"],
            timeout: TimeSpan.FromSeconds(60));
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("Permission denied", refused.Stderr);
        Assert.Contains(socket, refused.Stderr);
        Assert.DoesNotContain("   at ", refused.Stderr); // a message, not a stack trace

        ProcessStartInfo info = ProcessRunner.StartInfo("runuser",
            ["-u", Member, "--", ProcessRunner.DotnetHost, apps.CliDll, "listen", "--pipe", socket, "--count", "1"]);
        using Process member = Process.Start(info)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? line = await member.StandardError.ReadLineAsync(timeout.Token);
            while (line is not null && line.Contains("waiting for", StringComparison.Ordinal))
            {
                line = await member.StandardError.ReadLineAsync(timeout.Token);
            }

            Assert.Equal($"wakeword: listening on {socket}", line);
        }
        finally
        {
            member.Kill(entireProcessTree: true);
            await member.WaitForExitAsync();
        }
    }

    private static void EnsureUsers()
    {
        Run("groupadd", "-f", Group);
        if (!UserExists(Outsider))
        {
            Run("useradd", "-M", "-N", "-s", "/usr/sbin/nologin", Outsider);
        }

        if (!UserExists(Member))
        {
            Run("useradd", "-M", "-N", "-s", "/usr/sbin/nologin", "-G", Group, Member);
        }
    }

    private static bool UserExists(string user)
    {
        using Process id = Process.Start(new ProcessStartInfo("id", ["-u", user]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        id.WaitForExit();
        return id.ExitCode == 0;
    }

    private static void Run(string file, params string[] arguments)
    {
        using Process process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }
    }
}
