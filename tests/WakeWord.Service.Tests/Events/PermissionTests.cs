using System.Diagnostics;

namespace WakeWord.Service.Tests.Events;

/// <summary>
/// The socket is 0660 with the configured group, in a 0750 folder: a second local user outside the group cannot
/// connect, one inside it can. The other users' clients are real processes started with runuser.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PermissionTests
{
    internal const string Python = "/usr/bin/python3";
    private const string Group = "wwevtgrp";
    private const string Outsider = "wwevt_out";
    private const string Member = "wwevt_in";

    // Connects, reads the first line (the hello), prints it; exits 1 with the error text otherwise.
    private const string ClientScript =
        "import socket,sys\n" +
        "s=socket.socket(socket.AF_UNIX)\n" +
        "try:\n" +
        "    s.settimeout(5); s.connect(sys.argv[1]); print(s.makefile().readline().strip())\n" +
        "except OSError as e:\n" +
        "    print(e, file=sys.stderr); sys.exit(1)\n";

    [RootFact]
    public async Task Only_owner_and_group_may_connect()
    {
        EnsureUsers();
        string root = Path.Combine(Path.GetTempPath(), "ww-perm-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101); // 0755: the test's own folder must not be what blocks others
        string socket = Path.Combine(root, "run", "events.sock");
        try
        {
            await using var fixture = new ServerFixture(o => o.Group = Group, path: socket);

            Assert.Equal("660:" + Group, Run("stat", "-c", "%a:%G", socket).Output.Trim());
            Assert.Equal("750:" + Group, Run("stat", "-c", "%a:%G", Path.GetDirectoryName(socket)!).Output.Trim());

            ProcessResult outsider = Run("runuser", "-u", Outsider, "--", Python, "-c", ClientScript, socket);
            Assert.NotEqual(0, outsider.ExitCode);
            Assert.Contains("Permission denied", outsider.Error);

            ProcessResult member = Run("runuser", "-u", Member, "--", Python, "-c", ClientScript, socket);
            Assert.True(member.ExitCode == 0, member.Error);
            Assert.Contains("\"type\":\"hello\"", member.Output);

            // Root (the service's own account here) still connects.
            await using RawPipeClient own = await fixture.ConnectAsync();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [RootFact]
    public async Task Without_a_group_only_the_owner_may_connect()
    {
        EnsureUsers();
        string root = Path.Combine(Path.GetTempPath(), "ww-perm-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        string socket = Path.Combine(root, "events.sock"); // the folder exists: only the socket's own mode protects it
        try
        {
            await using var fixture = new ServerFixture(path: socket);
            Assert.Equal("660", Run("stat", "-c", "%a", socket).Output.Trim());
            ProcessResult member = Run("runuser", "-u", Member, "--", Python, "-c", ClientScript, socket);
            Assert.NotEqual(0, member.ExitCode);
            Assert.Contains("Permission denied", member.Error);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [RootFact]
    public async Task A_bare_pipe_name_gets_the_same_mode()
    {
        string name = "ww-bare-" + Guid.NewGuid().ToString("N")[..8];
        await using var fixture = new ServerFixture(path: name);
        string socket = Path.Combine(Path.GetTempPath(), "CoreFxPipe_" + name);
        Assert.Equal("660", Run("stat", "-c", "%a", socket).Output.Trim());
        await using RawPipeClient client = await fixture.ConnectAsync();
    }

    private static void EnsureUsers()
    {
        Run("groupadd", "-f", Group).ThrowIfFailed();
        foreach ((string? user, string? groups) in new[] { (Outsider, ""), (Member, Group) })
        {
            if (Run("id", "-u", user).ExitCode != 0)
            {
                var args = new List<string> { "-M", "-N", "-s", "/usr/sbin/nologin" };
                if (groups.Length > 0)
                {
                    args.AddRange(["-G", groups]);
                }

                args.Add(user);
                Run("useradd", [.. args]).ThrowIfFailed();
            }
        }
    }

    private static ProcessResult Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(20_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 20 s");
        }

        return new ProcessResult($"{file} {string.Join(' ', args)}", process.ExitCode, output.Result, error.Result);
    }

    private sealed record ProcessResult(string Command, int ExitCode, string Output, string Error)
    {
        public void ThrowIfFailed()
        {
            if (ExitCode != 0)
            {
                throw new InvalidOperationException($"'{Command}' failed ({ExitCode}): {Error}");
            }
        }
    }
}
