using WakeWord.Audio.Conversion;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Capture;

/// <summary>
/// Adapts a push-style capture API (NAudio's <c>DataAvailable</c> / <c>RecordingStopped</c> events) to the pull-style
/// <see cref="ICaptureDevice.Read"/>: the event handler converts the producer's reused buffer into mono floats at the output rate and
/// copies them into a small ring before returning (never keeping the reference), and the capture thread reads them out.
/// Platform-independent, so the Windows conversion path is tested on Linux with a fake producer.
/// </summary>
public sealed class PushCaptureBridge : IDisposable
{
    private readonly CaptureFormatConverter _converter;
    private readonly FloatRingBuffer _ring;
    private readonly float[] _converted;
    private readonly byte[] _silence;
    private readonly string _description;
    private readonly TimeSpan _stallTimeout;
    private volatile Exception? _stoppedBy;
    private volatile bool _stopped;

    /// <param name="format">What the producer delivers.</param>
    /// <param name="maxBytesPerCallback">The largest buffer the producer hands over at once (bigger ones are converted in parts).</param>
    /// <param name="description">Device name for messages.</param>
    /// <param name="stallTimeout">No data for this long while running counts as a lost device.</param>
    /// <param name="outputRate">The rate to deliver (the models').</param>
    public PushCaptureBridge(CaptureFormat format, int maxBytesPerCallback, string description, TimeSpan stallTimeout, int outputRate = CaptureSettings.DefaultSampleRate)
    {
        _converter = new CaptureFormatConverter(format, maxBytesPerCallback, outputRate);
        _converted = new float[_converter.MaxOutputSamples];
        _silence = new byte[_converter.MaxBytesPerBlock];
        // One second: the capture thread drains this every chunk, so it only fills if that thread stalls.
        _ring = new FloatRingBuffer(outputRate);
        _description = description;
        _stallTimeout = stallTimeout;
    }

    public long DroppedSamples => _ring.DroppedSamples;

    public long Overruns => _ring.Overruns;

    /// <summary>Producer side (the event handler): converts and copies now; the caller may reuse <paramref name="data"/> after return.</summary>
    public void OnData(ReadOnlySpan<byte> data)
    {
        int frameBytes = _converter.Format.BytesPerFrame;
        while (data.Length >= frameBytes)
        {
            int take = Math.Min(data.Length - (data.Length % frameBytes), _converter.MaxBytesPerBlock);
            int n = _converter.Convert(data[..take], _converted);
            _ring.Write(_converted.AsSpan(0, n));
            data = data[take..];
        }
    }

    /// <summary>Producer side: <paramref name="byteCount"/> bytes' worth of silence (a packet the device flagged silent).</summary>
    public void OnSilence(int byteCount)
    {
        while (byteCount >= _converter.Format.BytesPerFrame)
        {
            int take = Math.Min(byteCount, _silence.Length);
            OnData(_silence.AsSpan(0, take));
            byteCount -= take;
        }
    }

    /// <summary>Producer side: recording stopped; <paramref name="error"/> is null for a requested stop.</summary>
    public void OnStopped(Exception? error)
    {
        _stoppedBy = error;
        _stopped = true;
        _ring.Complete();
    }

    /// <summary>Consumer side: blocks until samples arrive; throws <see cref="CaptureDeviceException"/> when the producer stopped or stalled.</summary>
    public int Read(Span<float> destination)
    {
        int n = _ring.Read(destination, _stallTimeout, CancellationToken.None);
        if (n > 0)
        {
            return n;
        }

        if (_stopped)
        {
            string why = _stoppedBy?.Message ?? "recording stopped";
            throw _stoppedBy is null
                ? new CaptureDeviceException(CaptureFault.Lost, $"{_description}: {why}.")
                : new CaptureDeviceException(CaptureFault.Lost, $"{_description}: {why}", _stoppedBy);
        }

        throw new CaptureDeviceException(CaptureFault.Lost, $"{_description} delivered no audio for {_stallTimeout.TotalSeconds:F1} s.");
    }

    public void Dispose() => _ring.Dispose();
}
