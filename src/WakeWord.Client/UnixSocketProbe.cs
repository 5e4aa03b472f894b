using System.Net.Sockets;
using System.Runtime.Versioning;

namespace WakeWord.Client;

/// <summary>
/// Tells "no socket yet" from "socket in a folder this user may not enter": File.Exists says false for both, and
/// NamedPipeClientStream would wait out its timeout on either. A plain connect attempt gets the real errno.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class UnixSocketProbe
{
    /// <summary>False when nothing listens at <paramref name="path"/>; throws <see cref="UnauthorizedAccessException"/> on EACCES; true when something does.</summary>
    public static bool MayExist(string path)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return true; // It appeared meanwhile; the real connection follows (the server sees this probe as a client that left).
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            throw new UnauthorizedAccessException($"Access to '{path}' is denied.", e);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
