using System.Reflection;

namespace WakeWord.Service.Status;

/// <summary>The service binary's version, as the pipe's hello and `wakeword status` report it.</summary>
public static class ServiceVersion
{
    public static string Current { get; } =
        typeof(ServiceVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ServiceVersion).Assembly.GetName().Version?.ToString() ?? "unknown";
}
