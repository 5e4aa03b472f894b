using System.Diagnostics;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Tests.Capture;

/// <summary>
/// Reads a live source on its own thread as a detector would (as fast as data comes), keeping every sample and the time
/// and size of every read, so tests can check content, pace and backlog.
/// </summary>
internal sealed class CaptureRecorder : IDisposable
{
    private readonly IAudioSource _source;
    private readonly CancellationTokenSource _cts = new();
    private readonly Thread _thread;
    private readonly Lock _gate = new();
    private readonly List<float> _samples = [];
    private readonly List<(double Seconds, int Count)> _reads = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Exception? _error;

    public CaptureRecorder(IAudioSource source, int readSize = 320)
    {
        _source = source;
        _thread = new Thread(() => Loop(readSize)) { IsBackground = true, Name = "test-capture-reader" };
        _thread.Start();
    }

    public int SampleCount
    {
        get
        {
            lock (_gate)
            {
                return _samples.Count;
            }
        }
    }

    public float[] Samples()
    {
        lock (_gate)
        {
            return [.. _samples];
        }
    }

    /// <summary>Reads as (seconds since start, samples).</summary>
    public (double Seconds, int Count)[] Reads()
    {
        lock (_gate)
        {
            return [.. _reads];
        }
    }

    public Exception? Error => _error;

    /// <summary>Waits until <paramref name="count"/> samples more than now have arrived, or fails after <paramref name="timeout"/>.</summary>
    public bool WaitForMore(int count, TimeSpan timeout)
    {
        int target = SampleCount + count;
        var sw = Stopwatch.StartNew();
        while (SampleCount < target)
        {
            if (sw.Elapsed > timeout || _error is not null)
            {
                return false;
            }

            Thread.Sleep(10);
        }

        return true;
    }

    /// <summary>Stops reading; the source stays open (the test owns it).</summary>
    public void Dispose()
    {
        _cts.Cancel();
        _thread.Join(TimeSpan.FromSeconds(5));
        _cts.Dispose();
    }

    private void Loop(int readSize)
    {
        float[] buffer = new float[readSize];
        try
        {
            while (!_cts.IsCancellationRequested)
            {
                int n = _source.Read(buffer, _cts.Token);
                double t = _clock.Elapsed.TotalSeconds;
                lock (_gate)
                {
                    _samples.AddRange(buffer.AsSpan(0, n));
                    _reads.Add((t, n));
                }

                if (n == 0)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            _error = ex;
        }
    }
}
