namespace WakeWord.Service.Options;

/// <summary>The "Audio" section of appsettings.json: where samples come from.</summary>
public sealed class AudioOptions
{
    public const string SectionName = "Audio";

    public const string Microphone = "microphone";
    public const string File = "file";
    public const string Stdin = "stdin";

    public static readonly string[] Sources = [Microphone, File, Stdin];
    /// <summary>The capture backends: the factory's list, so a new backend is added in one place.</summary>
    public static IReadOnlyList<string> Backends => WakeWord.Audio.Capture.MicrophoneSourceFactory.Backends;

    /// <summary>microphone, file or stdin.</summary>
    public string Source { get; set; } = Microphone;

    /// <summary>The WAV file when Source is file; relative paths are relative to the current directory.</summary>
    public string? FilePath { get; set; }

    /// <summary>Capture backend for the microphone: auto, alsa, pulse or wasapi.</summary>
    public string Backend { get; set; } = "auto";

    /// <summary>Capture device as the backend names it ("default" for the system default).</summary>
    public string Device { get; set; } = "default";

    /// <summary>Audio handed to the detector per read, in milliseconds (latency versus per-call overhead).</summary>
    public int ChunkMilliseconds { get; set; } = 100;

    /// <summary>Sample rate of raw 16-bit PCM on stdin when Source is stdin (resampled to the models' rate).</summary>
    public int StdinSampleRate { get; set; } = 16000;

    /// <summary>
    /// What to do when a file or stdin ends: false (default) logs "end of input" and keeps the service running idle, so
    /// pipe subscribers stay connected; true stops the service with exit code 0.
    /// </summary>
    public bool ExitAtEnd { get; set; }

    /// <summary>
    /// File and stdin sources: deliver the audio no faster than real time, as a microphone would (a 10 s recording takes
    /// 10 s), so pipe subscribers see events when a listener would have heard the word. Default false: as fast as it is
    /// scored. A microphone is real time by nature; there it changes nothing.
    /// </summary>
    public bool RealTime { get; set; }
}
