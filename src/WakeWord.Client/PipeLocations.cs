namespace WakeWord.Client;

/// <summary>
/// Where the service's event pipe lives by default (docs/protocol.md, "Where the socket is"). Shared by the service and
/// clients so both sides agree without configuration.
/// </summary>
public static class PipeLocations
{
    /// <summary>Windows pipe name (\\.\pipe\wakeword-events).</summary>
    public const string WindowsPipeName = "wakeword-events";

    /// <summary>System service socket; the directory is created by systemd (RuntimeDirectory=wakeword) or by the service.</summary>
    public const string SystemSocketPath = "/run/wakeword/events.sock";

    /// <summary>File name of the per-user socket inside $XDG_RUNTIME_DIR.</summary>
    public const string UserSocketFileName = "wakeword.sock";

    /// <summary>
    /// The pipe the service creates when Events:PipeName is not set: on Windows <see cref="WindowsPipeName"/>; on Unix
    /// $XDG_RUNTIME_DIR/wakeword.sock when XDG_RUNTIME_DIR is set (user service); else $RUNTIME_DIRECTORY/events.sock
    /// when systemd made a runtime folder for the unit (RuntimeDirectory=wakeword gives /run/wakeword, also for a
    /// system service running as its own user); else /run/wakeword/events.sock for root; else a per-user folder under
    /// the temp directory.
    /// </summary>
    public static string ServiceDefault()
    {
        if (OperatingSystem.IsWindows())
        {
            return WindowsPipeName;
        }

        string? runtimeDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtimeDir) && Path.IsPathRooted(runtimeDir))
        {
            return Path.Combine(runtimeDir, UserSocketFileName);
        }

        // systemd lists the unit's RuntimeDirectory= folders here, colon-separated.
        string? unitDir = Environment.GetEnvironmentVariable("RUNTIME_DIRECTORY")?.Split(':')[0];
        if (!string.IsNullOrEmpty(unitDir) && Path.IsPathRooted(unitDir))
        {
            return Path.Combine(unitDir, "events.sock");
        }

        return Environment.IsPrivilegedProcess ? SystemSocketPath : TempFallback();
    }

    /// <summary>
    /// Paths a client tries, in order, when no pipe is given: the user socket, the system socket, the temp fallback.
    /// A client can be a different user from the service (a desktop user talking to the system service), so it looks
    /// for every place the service may have chosen and takes the first that exists.
    /// </summary>
    public static IReadOnlyList<string> ClientCandidates()
    {
        if (OperatingSystem.IsWindows())
        {
            return [WindowsPipeName];
        }

        var list = new List<string>();
        string? runtimeDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtimeDir) && Path.IsPathRooted(runtimeDir))
        {
            list.Add(Path.Combine(runtimeDir, UserSocketFileName));
        }

        list.Add(SystemSocketPath);
        list.Add(TempFallback());
        return list;
    }

    /// <summary>The first candidate whose socket file exists, else the first candidate (to wait for it).</summary>
    public static string ResolveForClient(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        IReadOnlyList<string> candidates = ClientCandidates();
        foreach (string candidate in candidates)
        {
            if (OperatingSystem.IsWindows() || File.Exists(candidate))
            {
                return candidate;
            }
        }

        return candidates[0];
    }

    private static string TempFallback() => Path.Combine(Path.GetTempPath(), $"wakeword-{Environment.UserName}", "events.sock");
}
