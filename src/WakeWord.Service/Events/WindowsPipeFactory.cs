using System.IO.Pipes;
using System.Runtime.Versioning;
using System.Security.AccessControl;
using System.Security.Principal;

namespace WakeWord.Service.Events;

/// <summary>
/// Windows pipe instances with an explicit ACL: the service account gets full control and Events:Group read/write;
/// nobody else is listed, so nobody else can open the pipe (the default ACL would let Everyone read).
/// </summary>
[SupportedOSPlatform("windows")]
public static class WindowsPipeFactory
{
    public static PipeSecurity CreateSecurity(string? group)
    {
        var security = new PipeSecurity();
        SecurityIdentifier self = WindowsIdentity.GetCurrent().User
            ?? throw new InvalidOperationException("Cannot read the service account's SID.");
        security.AddAccessRule(new PipeAccessRule(self, PipeAccessRights.FullControl, AccessControlType.Allow));
        if (!string.IsNullOrWhiteSpace(group))
        {
            var sid = (SecurityIdentifier)new NTAccount(group.Trim()).Translate(typeof(SecurityIdentifier));
            // Synchronize too: a client opening with GENERIC_READ | GENERIC_WRITE asks for it.
            security.AddAccessRule(new PipeAccessRule(sid, PipeAccessRights.ReadWrite | PipeAccessRights.Synchronize, AccessControlType.Allow));
        }

        return security;
    }

    public static NamedPipeServerStream Create(string pipeName, PipeSecurity security) =>
        NamedPipeServerStreamAcl.Create(pipeName, PipeDirection.InOut, NamedPipeServerStream.MaxAllowedServerInstances,
            PipeTransmissionMode.Byte, PipeOptions.Asynchronous, 0, 0, security);
}
