using WakeWord.Audio.Capture;

namespace WakeWord.Audio.Tests.Capture;

/// <summary>
/// A capture device whose behaviour the test scripts: fail to open (missing, busy, a surprise exception), deliver a ramp
/// at real-time pace, report overruns, or get lost after a number of reads. Counts opens and disposals.
/// </summary>
internal sealed class ScriptedCaptureDevice(ScriptedCaptureDevice.Script script) : ICaptureDevice
{
    private int _reads;

    public string Description => "fake:" + script.Name;

    public long Overruns { get; private set; }

    public TimeSpan Latency => TimeSpan.FromMilliseconds(20);

    public void Open()
    {
        int attempt = Interlocked.Increment(ref script.Opens);
        lock (script.OpenTimes)
        {
            script.OpenTimes.Add(DateTime.UtcNow);
        }

        if (script.OpenFailure?.Invoke(attempt) is { } failure)
        {
            throw failure;
        }
    }

    public int Read(Span<float> destination)
    {
        Thread.Sleep(script.ReadMilliseconds);
        _reads++;
        if (script.LoseAfterReads > 0 && _reads > script.LoseAfterReads && Volatile.Read(ref script.Opens) == 1)
        {
            throw new CaptureDeviceException(CaptureFault.Lost, "fake device unplugged");
        }

        Overruns += script.OverrunsPerRead;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (script.Next++ % 1000) / 1000f;
        }

        return destination.Length;
    }

    public void Dispose() => Interlocked.Increment(ref script.Disposals);

    /// <summary>Shared by every device a factory makes, so a test sees all attempts.</summary>
    internal sealed class Script
    {
        public string Name = "mic";
        public Func<int, Exception?>? OpenFailure;
        public int ReadMilliseconds = 20;
        public int LoseAfterReads;
        public long OverrunsPerRead;
        public int Opens;
        public int Disposals;
        public long Next;
        public readonly List<DateTime> OpenTimes = [];
    }
}
