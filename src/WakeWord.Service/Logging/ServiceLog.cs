using Microsoft.Extensions.Logging;

namespace WakeWord.Service.Logging;

/// <summary>The service's log lines, source-generated (no boxing or formatting unless the level is enabled).</summary>
internal static partial class ServiceLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Loaded model {ModelId} (word \"{Word}\", version {Version}) from {Path}: threshold {Threshold}, consecutive steps {ConsecutiveSteps}, refractory {RefractorySeconds} s")]
    public static partial void ModelLoaded(ILogger logger, string modelId, string word, string version, string path, float threshold, int consecutiveSteps, double refractorySeconds);

    // Tests and operators wait for this line: the audio loop is about to read.
    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Listening on {Source} for {Words}")]
    public static partial void Listening(ILogger logger, string source, string words);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Wake word \"{Word}\" detected: score {Score:F3} (threshold {Threshold}), audio offset {AudioOffset}, time {TimeUtc:O}, model {ModelId}")]
    public static partial void WakeDetected(ILogger logger, string word, float score, float threshold, TimeSpan audioOffset, DateTimeOffset timeUtc, string modelId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "End of input from {Source} after {Seconds:F2} s of audio; {Action}")]
    public static partial void EndOfInput(ILogger logger, string source, double seconds, string action);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Detector of {ModelId} changed ({Settings} reloaded): threshold {OldThreshold} -> {Threshold}, consecutive steps {OldConsecutive} -> {Consecutive}, refractory {OldRefractory} s -> {Refractory} s")]
    public static partial void DetectorChanged(ILogger logger, string modelId, string settings, float oldThreshold, float threshold, int oldConsecutive, int consecutive, double oldRefractory, double refractory);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Models reloaded ({Reason}): now listening for {Models}")]
    public static partial void ModelsReloaded(ILogger logger, string reason, string models);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Audio source failed: {Message}")]
    public static partial void AudioFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Audio source {Kind}: {Message}")]
    public static partial void SourceStatus(ILogger logger, string kind, string message);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "A wake-event subscriber failed; detection goes on")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 10, Level = LogLevel.Critical, Message = "The audio loop stopped on an unexpected error")]
    public static partial void LoopCrashed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "{Settings} reloaded with invalid Models values, kept the running settings: {Errors}")]
    public static partial void ReloadRejected(ILogger logger, string settings, string errors);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "Opening microphone {Source} for {Words}: not listening until it opens (a missing device is retried with backoff, at most every 10 s, so one plugged in later is picked up)")]
    public static partial void WaitingForMicrophone(ILogger logger, string source, string words);

    [LoggerMessage(EventId = 14, Level = LogLevel.Error, Message = "Settings not reloaded: {Problem}; the running models and settings stay until the file is fixed")]
    public static partial void SettingsFileRejected(ILogger logger, string problem);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Models not reloaded ({Reason}): {Error}; still listening for {Models}")]
    public static partial void ModelReloadFailed(ILogger logger, string reason, string error, string models);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Not watching {Folder} for model changes ({Reason}); a model replaced there takes effect after a restart")]
    public static partial void ModelWatchFailed(ILogger logger, string folder, string reason);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "systemd watchdog on: WATCHDOG=1 every {Seconds:F1} s / 2 while the audio loop is alive")]
    public static partial void WatchdogEnabled(ILogger logger, double seconds);

    [LoggerMessage(EventId = 17, Level = LogLevel.Critical, Message = "The audio loop is hung ({What}): asked systemd to restart the service (WATCHDOG=trigger)")]
    public static partial void AudioLoopHung(ILogger logger, string what);

    [LoggerMessage(EventId = 18, Level = LogLevel.Information, Message = "SIGHUP: reading the settings files again")]
    public static partial void HangupReload(ILogger logger);

    [LoggerMessage(EventId = 19, Level = LogLevel.Error, Message = "SIGHUP: the settings files were not read again: {Problem}; the running settings stay")]
    public static partial void HangupReloadFailed(ILogger logger, string problem);
}
