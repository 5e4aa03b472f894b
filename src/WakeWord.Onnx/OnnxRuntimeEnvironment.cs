using Microsoft.ML.OnnxRuntime;

namespace WakeWord.Onnx;

/// <summary>
/// ONNX Runtime's process-wide environment, created once before the first session: telemetry off, only errors
/// reported, and those through <see cref="Sink"/> (the service's log) instead of coloured lines on stderr. Its default
/// environment warned "Failed to persist telemetry device ID" on every start of a user without a home folder, which is
/// exactly the system user the service unit runs as.
/// </summary>
public static class OnnxRuntimeEnvironment
{
    private static readonly Lock Gate = new();
    private static readonly DOrtLoggingFunction Forwarder = Forward; // held here: native code calls it for the process's life
    private static volatile Action<string>? CurrentSink;

    /// <summary>Where ONNX Runtime's error messages go; stderr ("onnxruntime: ...") until someone sets it.</summary>
    public static Action<string>? Sink
    {
        get => CurrentSink;
        set => CurrentSink = value;
    }

    public static void EnsureCreated()
    {
        lock (Gate)
        {
            if (OrtEnv.IsCreated)
            {
                return;
            }

            var options = new EnvironmentCreationOptions
            {
                logId = "wakeword",
                logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
                loggingFunction = Forwarder,
            };
            OrtEnv.CreateInstanceWithOptions(ref options).DisableTelemetryEvents();
        }
    }

    private static void Forward(IntPtr param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        if (CurrentSink is Action<string> target)
        {
            target(message);
        }
        else
        {
            Console.Error.WriteLine("onnxruntime: " + message);
        }
    }
}
