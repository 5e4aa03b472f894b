using WakeWord.Core.Audio;
using WakeWord.Onnx;

namespace WakeWord.Cli;

/// <summary>
/// Runs a command body and turns every failure into one line on stderr and an exit code: no stack trace ever reaches
/// the user. Commands throw <see cref="UsageException"/>, <see cref="AudioSourceException"/> or
/// <see cref="ModelLoadException"/> for the expected failures.
/// </summary>
public static class CommandGuard
{
    public static int Run(Func<int> body, TextWriter? error = null)
    {
        error ??= Console.Error;
        try
        {
            return body();
        }
        catch (UsageException ex)
        {
            return Report(error, ex.Message, ExitCodes.Usage);
        }
        catch (AudioSourceException ex)
        {
            return Report(error, ex.Message, ExitCodes.InputAudio);
        }
        catch (ModelLoadException ex)
        {
            return Report(error, ex.Message, ExitCodes.Model);
        }
        catch (OperationCanceledException)
        {
            return Report(error, "interrupted", ExitCodes.Interrupted);
        }
        catch (Exception ex)
        {
            return Report(error, $"unexpected error: {ex.GetType().Name}: {ex.Message}", ExitCodes.Unexpected);
        }
    }

    public static int Report(TextWriter error, string message, int exitCode)
    {
        // One line: scripts read the first line of stderr.
        error.WriteLine("wakeword: " + message.ReplaceLineEndings(" "));
        error.Flush();
        return exitCode;
    }
}
