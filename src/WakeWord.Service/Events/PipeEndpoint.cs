using System.IO.Pipes;

namespace WakeWord.Service.Events;

/// <summary>
/// The pipe's place: makes its server instances, and on Unix creates the socket's folder (owner and group only), refuses
/// a path that another live server holds, and gives the socket its mode and group. On Windows the instances carry the
/// ACL (<see cref="WindowsPipeFactory"/>).
/// </summary>
internal sealed class PipeEndpoint
{
    private readonly string? _groupSetting;
    private readonly string? _group;
    private object? _windowsSecurity;

    /// <param name="path">Unix: the socket path, or a bare name that .NET places in the temp folder; Windows: the pipe name.</param>
    /// <param name="group">Events:Group: who besides the service's account may connect; empty for nobody.</param>
    public PipeEndpoint(string path, string? group)
    {
        Path = path;
        _groupSetting = group;
        _group = string.IsNullOrWhiteSpace(group) ? null : group.Trim();
    }

    /// <summary>The socket path (Unix) or pipe name (Windows) being served.</summary>
    public string Path { get; }

    /// <summary>
    /// The first instance, with the folder, the liveness probe, the mode and the group done. Throws
    /// <see cref="EventPipeException"/> naming the path when that fails, e.g. when another service holds it.
    /// </summary>
    public NamedPipeServerStream Open()
    {
        NamedPipeServerStream? first = null;
        try
        {
            if (!OperatingSystem.IsWindows() && System.IO.Path.IsPathRooted(Path))
            {
                PrepareUnixPath();
            }

            first = CreateInstance();
            SecureUnixSocket();
            return first;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Principal.IdentityNotMappedException)
        {
            first?.Dispose();
            throw e as EventPipeException ?? new EventPipeException($"Cannot serve wake events on '{Path}' (Events:PipeName): {e.Message}", e);
        }
    }

    /// <summary>One more instance, for the next client (on Unix every instance shares the one listening socket).</summary>
    public NamedPipeServerStream CreateInstance()
    {
        if (OperatingSystem.IsWindows())
        {
            _windowsSecurity ??= WindowsPipeFactory.CreateSecurity(_group);
            return WindowsPipeFactory.Create(Path, (PipeSecurity)_windowsSecurity);
        }

        return new NamedPipeServerStream(Path, PipeDirection.InOut, NamedPipeServerStream.MaxAllowedServerInstances,
            PipeTransmissionMode.Byte, PipeOptions.Asynchronous);
    }

    /// <summary>An instance after every one was lost: .NET then made a new listening socket, which needs its mode and group again.</summary>
    public NamedPipeServerStream Recreate()
    {
        NamedPipeServerStream instance = CreateInstance();
        try
        {
            SecureUnixSocket();
            return instance;
        }
        catch
        {
            instance.Dispose();
            throw;
        }
    }

    private void PrepareUnixPath()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string directory = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(directory))
        {
            // A folder we create is ours: owner rwx, group r-x, others nothing.
            Directory.CreateDirectory(directory, UnixSocketPermissions.DirectoryMode);
            if (GroupId() is { } gid)
            {
                UnixSocketPermissions.SetGroup(directory, gid);
            }
        }

        if (File.Exists(Path) && IsServedByAnother())
        {
            throw new EventPipeException($"Another process is already serving wake events on '{Path}' (Events:PipeName); stop it or choose another path.");
        }
    }

    private bool IsServedByAnother()
    {
        try
        {
            using var probe = new NamedPipeClientStream(".", Path, PipeDirection.InOut);
            probe.Connect(200);
            return true;
        }
        catch (Exception e) when (e is IOException or TimeoutException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            return false; // Stale socket from a crash (.NET replaces it when it binds), or not ours to probe (binding will say).
        }
    }

    private void SecureUnixSocket()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // A bare name is where .NET puts it (System.IO.Pipes on Unix: <temp>/CoreFxPipe_<name>).
        string socketPath = System.IO.Path.IsPathRooted(Path) ? Path : System.IO.Path.Combine(System.IO.Path.GetTempPath(), "CoreFxPipe_" + Path);
        File.SetUnixFileMode(socketPath, UnixSocketPermissions.SocketMode);
        if (GroupId() is { } gid)
        {
            UnixSocketPermissions.SetGroup(socketPath, gid);
        }
    }

    private uint? GroupId()
    {
        if (OperatingSystem.IsWindows() || _group is null)
        {
            return null;
        }

        return UnixSocketPermissions.TryGetGroupId(_group, out uint gid)
            ? gid
            : throw new IOException($"Events:Group '{_groupSetting}' is not a group on this machine.");
    }
}
