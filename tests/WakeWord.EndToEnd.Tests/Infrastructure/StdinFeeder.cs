namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>Audio flowing into a stdin-source service, as a capture pipe (arecord | service) would give it.</summary>
public static class StdinFeeder
{
    /// <summary>Writes a recording to stdin over and over, 100 ms at a time at about real-time pace, until cancelled or
    /// the pipe closes.</summary>
    public static async Task FeedAsync(ServiceProcess service, string wav, CancellationToken cancel)
    {
        byte[] pcm = WavData.PcmBytes(wav);
        const int chunk = 3200; // 100 ms of 16 kHz 16-bit mono
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            for (int offset = 0; ; offset = (offset + chunk) % (pcm.Length - chunk))
            {
                await service.StandardInput.WriteAsync(pcm.AsMemory(offset, chunk), cancel);
                await service.StandardInput.FlushAsync(cancel);
                await pace.WaitForNextTickAsync(cancel);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Stopped by the test, or the service exited and closed its stdin.
        }
    }
}
