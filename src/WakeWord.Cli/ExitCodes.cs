namespace WakeWord.Cli;

/// <summary>The exit codes scripts can rely on (README.md and --help list them).</summary>
public static class ExitCodes
{
    /// <summary>Success; for detect also when no wake word was heard.</summary>
    public const int Ok = 0;

    /// <summary>A bug or an environment problem nobody foresaw; the message says what.</summary>
    public const int Unexpected = 1;

    /// <summary>Bad command line: unknown option, missing argument, value out of range.</summary>
    public const int Usage = 2;

    /// <summary>The input audio cannot be used: missing or corrupt WAV, wrong PCM format on stdin, device error.</summary>
    public const int InputAudio = 3;

    /// <summary>A model cannot be used: missing file, not a wake-word ONNX model, contract mismatch.</summary>
    public const int Model = 4;

    /// <summary>status: no wake-word service runs at the pipe (no socket there, or nothing answers on it).</summary>
    public const int NoService = 5;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT.</summary>
    public const int Interrupted = 130;

    public const string HelpText =
        "Exit codes: 0 ok (detect: also when nothing was detected), 1 unexpected error, 2 usage error, " +
        "3 input audio error, 4 model error, 5 no service running (status), 130 interrupted.";
}
