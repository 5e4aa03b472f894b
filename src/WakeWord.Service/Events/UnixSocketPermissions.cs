using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace WakeWord.Service.Events;

/// <summary>
/// Mode and group of the socket and its folder. .NET has File.SetUnixFileMode but no chown and no group lookup, so
/// those two come from libc: the group must own the socket, or members of Events:Group could not connect.
/// </summary>
[UnsupportedOSPlatform("windows")]
public static class UnixSocketPermissions
{
    /// <summary>rw for owner and group: connecting to a Unix socket needs write permission on it.</summary>
    public const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>rwx owner, r-x group, nothing for others: others cannot even reach the socket inside.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    /// <summary>Looks a group up by name (or takes a number); false when the group does not exist.</summary>
    public static bool TryGetGroupId(string group, out uint gid)
    {
        if (uint.TryParse(group, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out gid))
        {
            return true;
        }

        nint entry = GetGroupByName(group);
        if (entry == IntPtr.Zero)
        {
            gid = 0;
            return false;
        }

        // struct group { char *gr_name; char *gr_passwd; gid_t gr_gid; char **gr_mem; }
        gid = (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size);
        return true;
    }

    /// <summary>Gives <paramref name="path"/> to <paramref name="gid"/>, keeping its owner.</summary>
    public static void SetGroup(string path, uint gid)
    {
        if (Chown(path, uint.MaxValue, gid) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot give '{path}' to group id {gid}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }
    }

    // DllImport with explicit UTF-8 marshalling: LibraryImport would need AllowUnsafeBlocks for the whole service.
    [DllImport("libc", EntryPoint = "getgrnam")]
    private static extern IntPtr GetGroupByName([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    // uid_t -1 (uint.MaxValue) leaves the owner unchanged.
    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);
}
