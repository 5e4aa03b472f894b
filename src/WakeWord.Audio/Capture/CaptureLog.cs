using Microsoft.Extensions.Logging;

namespace WakeWord.Audio.Capture;

/// <summary>Capture log messages, source-generated so that the capture thread formats nothing unless the level is on.</summary>
internal static partial class CaptureLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Microphone {Device} is listening (latency about {LatencyMs:F0} ms)")]
    public static partial void Listening(ILogger logger, string device, double latencyMs);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Microphone {Device} is back after {OutageSeconds:F1} s (latency about {LatencyMs:F0} ms)")]
    public static partial void DeviceBack(ILogger logger, string device, double outageSeconds, double latencyMs);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Microphone {Device} is unavailable ({Fault}): {Reason} Retry {Attempt} in {DelaySeconds:F1} s")]
    public static partial void DeviceUnavailable(ILogger logger, string device, CaptureFault fault, string reason, int attempt, double delaySeconds);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Microphone {Device}: {Overruns} overruns and {Dropped} dropped samples in the last {Seconds:F0} s (the reader or the capture thread fell behind)")]
    public static partial void Overruns(ILogger logger, string device, long overruns, long dropped, double seconds);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "Microphone {Device}: unexpected capture error, treating the device as lost")]
    public static partial void UnexpectedError(ILogger logger, string device, Exception exception);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Microphone {Device} stopped")]
    public static partial void Stopped(ILogger logger, string device);
}
