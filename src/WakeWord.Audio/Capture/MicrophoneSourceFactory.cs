using Microsoft.Extensions.Logging;
using WakeWord.Audio.Capture.Alsa;
using WakeWord.Audio.Capture.Pulse;
using WakeWord.Audio.Capture.Wasapi;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Capture;

/// <summary>Opens the microphone through a capture backend chosen by name ("auto", "alsa", "pulse", "wasapi").</summary>
public static class MicrophoneSourceFactory
{
    /// <summary>The backend names <see cref="Create(string, string, int, ILogger)"/> accepts.</summary>
    public static IReadOnlyList<string> Backends { get; } = ["auto", "alsa", "pulse", "wasapi"];

    /// <summary>
    /// Returns a live mono source at <paramref name="sampleRate"/> (16 kHz unless the models need another) that keeps running through device faults (logs, retries with backoff).
    /// Throws <see cref="ArgumentException"/> naming the value for an unknown backend or one this platform lacks.
    /// <paramref name="chunkMilliseconds"/> (5 to 1000) is the device period: capture latency is about one chunk, so
    /// 20 ms suits a detector; readers may still read larger blocks.
    /// </summary>
    public static ILiveAudioSource Create(string backend, string device, int chunkMilliseconds, ILogger logger, int sampleRate = CaptureSettings.DefaultSampleRate) =>
        Create(backend, device, CaptureSettings.ForChunk(chunkMilliseconds, sampleRate), logger);

    /// <summary>As <see cref="Create(string, string, int, ILogger, int)"/>, with every capture timing given. The capture thread starts at once.</summary>
    public static ResilientMicrophoneSource Create(string backend, string device, CaptureSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        settings.Validate();
        Func<ICaptureDevice> factory = CreateDeviceFactory(backend, device, settings);
        var source = new ResilientMicrophoneSource(factory, Describe(ResolveBackend(backend), device), settings, logger);
        source.Start();
        return source;
    }

    /// <summary>Capture device names of a backend, as that backend spells them.</summary>
    /// <exception cref="ArgumentException">Unknown backend or one this platform lacks.</exception>
    /// <exception cref="AudioSourceException">The backend's library or tool is missing or the sound server does not answer.</exception>
    public static IReadOnlyList<string> ListDevices(string backend)
    {
        string resolved = ResolveBackend(backend);
        try
        {
            return resolved switch
            {
                "alsa" => AlsaDeviceList.List(),
                "pulse" => PulseDeviceList.List(),
                _ => OperatingSystem.IsWindows() ? WasapiDeviceList.List() : throw WindowsOnly(),
            };
        }
        catch (CaptureDeviceException ex)
        {
            throw new AudioSourceException($"Cannot list {resolved} capture devices: {ex.Message}", ex);
        }
    }

    /// <summary>"auto" becomes the platform's default ("wasapi" on Windows, "alsa" on Linux, whose "default" device goes through PulseAudio or PipeWire when one runs).</summary>
    public static string ResolveBackend(string backend)
    {
        string name = (backend ?? string.Empty).Trim().ToLowerInvariant();
        switch (name)
        {
            case "auto":
                if (OperatingSystem.IsWindows())
                {
                    return "wasapi";
                }

                return OperatingSystem.IsLinux()
                    ? "alsa"
                    : throw new ArgumentException($"No microphone backend for this platform ({Environment.OSVersion.Platform}); supported: Linux (alsa, pulse) and Windows (wasapi).");
            case "alsa":
            case "pulse":
                return OperatingSystem.IsLinux()
                    ? name
                    : throw new ArgumentException($"Audio backend '{backend}' needs Linux; on this platform use 'auto' or 'wasapi'.");
            case "wasapi":
                return OperatingSystem.IsWindows() ? name : throw WindowsOnly();
            default:
                throw new ArgumentException($"Unknown audio backend '{backend}'; expected one of: {string.Join(", ", Backends)}.");
        }
    }

    internal static Func<ICaptureDevice> CreateDeviceFactory(string backend, string device, CaptureSettings settings)
    {
        string resolved = ResolveBackend(backend);
        string? name = string.IsNullOrWhiteSpace(device) ? null : device.Trim();
        switch (resolved)
        {
            case "alsa":
                string alsaName = name ?? "default";
                return () => new AlsaCaptureDevice(alsaName, settings);
            case "pulse":
                return () => new PulseCaptureDevice(name, settings);
            default:
                return () => OperatingSystem.IsWindows() ? new WasapiCaptureDevice(name, settings) : throw WindowsOnly();
        }
    }

    private static string Describe(string backend, string device) =>
        $"{backend}:{(string.IsNullOrWhiteSpace(device) ? "default" : device.Trim())}";

    private static ArgumentException WindowsOnly() =>
        new("Audio backend 'wasapi' needs Windows; on Linux use 'alsa' or 'pulse' (or 'auto').");
}
