using Microsoft.Extensions.Options;

namespace WakeWord.Service.Events;

/// <summary>Checks the Events section at start, with messages that name the key and the bad value.</summary>
public sealed class EventsOptionsValidator : IValidateOptions<EventsOptions>
{
    public ValidateOptionsResult Validate(string? name, EventsOptions options)
    {
        var errors = new List<string>();
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (!(options.HeartbeatSeconds is >= 0.05 and <= 3600))
        {
            errors.Add($"Events:HeartbeatSeconds must be between 0.05 and 3600, got {options.HeartbeatSeconds}.");
        }

        if (options.QueueCapacity is < 4 or > 100_000)
        {
            errors.Add($"Events:QueueCapacity must be between 4 and 100000 (the hello and a status line must fit), got {options.QueueCapacity}.");
        }

        if (options.MaxLineBytes is < 64 or > 1024 * 1024)
        {
            errors.Add($"Events:MaxLineBytes must be between 64 and 1048576, got {options.MaxLineBytes}.");
        }

        if (!(options.WriteTimeoutSeconds is >= 0.05 and <= 3600))
        {
            errors.Add($"Events:WriteTimeoutSeconds must be between 0.05 and 3600, got {options.WriteTimeoutSeconds}.");
        }

        if (options.MaxClients is < 1 or > 10_000)
        {
            errors.Add($"Events:MaxClients must be between 1 and 10000, got {options.MaxClients}.");
        }

        string path = options.ResolvePipePath();
        if (!OperatingSystem.IsWindows() && Path.IsPathRooted(path))
        {
            // sun_path holds 108 bytes including the terminator on Linux.
            if (System.Text.Encoding.UTF8.GetByteCount(path) > 107)
            {
                errors.Add($"Events:PipeName '{path}' is longer than the 107 bytes a Unix socket path may have.");
            }

            if (Directory.Exists(path))
            {
                errors.Add($"Events:PipeName '{path}' is a directory; give the socket file's path.");
            }
        }
        else if (path.IndexOfAny(['\\', '/']) >= 0 && OperatingSystem.IsWindows())
        {
            errors.Add($"Events:PipeName '{path}' must be a bare pipe name on Windows (no slashes).");
        }

        if (!string.IsNullOrWhiteSpace(options.Group) && !OperatingSystem.IsWindows()
            && UnixSocketPermissions.TryGetGroupId(options.Group.Trim(), out _) is false)
        {
            errors.Add($"Events:Group '{options.Group}' is not a group on this machine (see /etc/group).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
