using WakeWord.Audio.Capture;
using WakeWord.Audio.Conversion;
using WakeWord.Audio.Tests.Conversion;

namespace WakeWord.Audio.Tests.Capture;

/// <summary>
/// Stands in for WasapiCaptureDevice on Linux: a producer thread plays the role of WASAPI's capture thread, raising
/// "DataAvailable" every 10 ms with 48 kHz stereo float in one reused buffer, through the same <see cref="PushCaptureBridge"/>
/// the real device uses. It can also stop with an error, as WASAPI does when the endpoint is unplugged.
/// </summary>
internal sealed class FakeWasapiDevice(float[] monoSignal48k, int stopWithErrorAfterCallbacks = 0) : ICaptureDevice
{
    private static readonly CaptureFormat Format = new(48000, 2, CaptureSampleFormat.Float32);
    private readonly CancellationTokenSource _stop = new();
    private PushCaptureBridge? _bridge;
    private Thread? _producer;

    public string Description => "fakewasapi:default";

    public long Overruns => _bridge?.Overruns ?? 0;

    public TimeSpan Latency => TimeSpan.FromMilliseconds(10);

    public void Open()
    {
        _bridge = new PushCaptureBridge(Format, Format.BytesPerFrame * 48000, Description, TimeSpan.FromSeconds(1));
        _producer = new Thread(Produce) { IsBackground = true };
        _producer.Start();
    }

    public int Read(Span<float> destination) => _bridge!.Read(destination);

    public void Dispose()
    {
        _stop.Cancel();
        _producer?.Join();
        _bridge?.Dispose();
        _stop.Dispose();
    }

    private void Produce()
    {
        // One buffer reused for every callback, as WASAPI does: the bridge must copy before the handler returns.
        byte[] packet = new byte[480 * Format.BytesPerFrame];
        int position = 0;
        int callbacks = 0;
        while (!_stop.IsCancellationRequested)
        {
            if (stopWithErrorAfterCallbacks > 0 && callbacks == stopWithErrorAfterCallbacks)
            {
                _bridge!.OnStopped(new InvalidOperationException("AUDCLNT_E_DEVICE_INVALIDATED"));
                return;
            }

            int frames = Math.Min(480, monoSignal48k.Length - position);
            if (frames <= 0)
            {
                frames = 480;
                Array.Clear(packet);
                _bridge!.OnSilence(packet.Length);
            }
            else
            {
                byte[] encoded = CaptureFormatConverterTests.Encode(monoSignal48k[position..(position + frames)], Format);
                encoded.CopyTo(packet, 0);
                _bridge!.OnData(packet.AsSpan(0, frames * Format.BytesPerFrame));
                Array.Fill(packet, (byte)0xAB); // scribble over it: data kept by reference would now be garbage
                position += frames;
            }

            callbacks++;
            Thread.Sleep(10);
        }

        _bridge!.OnStopped(null);
    }
}
