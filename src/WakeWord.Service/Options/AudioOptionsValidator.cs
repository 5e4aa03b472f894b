using System.Globalization;
using Microsoft.Extensions.Options;

namespace WakeWord.Service.Options;

/// <summary>Checks the Audio section at start; every message names the key and the bad value.</summary>
public sealed class AudioOptionsValidator : IValidateOptions<AudioOptions>
{
    public ValidateOptionsResult Validate(string? name, AudioOptions options)
    {
        var errors = new List<string>();
        string source = options.Source?.Trim() ?? "";
        if (!AudioOptions.Sources.Contains(source, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"Audio:Source = '{options.Source}' is not a known audio source; use one of: {string.Join(", ", AudioOptions.Sources)}");
        }

        if (string.Equals(source, AudioOptions.File, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(options.FilePath))
            {
                errors.Add("Audio:FilePath is required when Audio:Source is 'file'");
            }
            else if (!File.Exists(options.FilePath))
            {
                errors.Add($"Audio:FilePath = '{options.FilePath}': file not found ({Path.GetFullPath(options.FilePath)})");
            }
        }

        if (!AudioOptions.Backends.Contains(options.Backend?.Trim() ?? "", StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"Audio:Backend = '{options.Backend}' is not a known backend; use one of: {string.Join(", ", AudioOptions.Backends)}");
        }

        if (string.IsNullOrWhiteSpace(options.Device))
        {
            errors.Add("Audio:Device must not be empty; use 'default' for the system default device");
        }

        if (options.ChunkMilliseconds is < 10 or > 1000)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Audio:ChunkMilliseconds = {options.ChunkMilliseconds} must be between 10 and 1000"));
        }

        if (options.StdinSampleRate is < 1000 or > 384000)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Audio:StdinSampleRate = {options.StdinSampleRate} must be between 1000 and 384000"));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
