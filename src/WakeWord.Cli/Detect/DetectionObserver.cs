using WakeWord.Cli.Output;
using WakeWord.Core.Detection;

namespace WakeWord.Cli.Detect;

/// <summary>Prints each wake event; an error from the pipeline is rethrown on the reading thread's call to Process.</summary>
internal sealed class DetectionObserver(IDetectionWriter writer, Action counted) : IObserver<WakeEvent>
{
    public void OnNext(WakeEvent value)
    {
        writer.WriteEvent(value);
        counted();
    }

    public void OnError(Exception error) => throw error;

    public void OnCompleted()
    {
    }
}
