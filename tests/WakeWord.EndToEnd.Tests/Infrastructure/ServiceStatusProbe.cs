using WakeWord.Client;
using WakeWord.Client.Protocol;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Asks a running service over its pipe how far it has got (the `status` command), so a test waits for "all the audio
/// it was given has been scored" instead of sleeping for a time that a loaded machine may not honour.
/// </summary>
public static class ServiceStatusProbe
{
    /// <summary>The stdin source may hold back the last partial chunk (Audio:ChunkMilliseconds, 100 ms) until more input comes.</summary>
    public const double ChunkSeconds = 0.1;

    /// <summary>Waits until the service has scored at least <paramref name="seconds"/> of audio, less
    /// <paramref name="tolerance"/> (default one chunk, which stdin may hold back), and returns its status.</summary>
    public static async Task<ServiceStatusMessage> WaitForAudioAsync(string socketPath, double seconds, TimeSpan? timeout = null,
        Func<string>? context = null, double tolerance = ChunkSeconds)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        await using var client = new WakeWordClient(new WakeWordClientOptions { PipeName = socketPath, Reconnect = false });
        using var connectDeadline = new CancellationTokenSource(deadline - DateTime.UtcNow);
        await client.ConnectAsync(connectDeadline.Token);
        while (true)
        {
            ServiceStatusMessage status = await client.GetStatusAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (status.AudioProcessedS >= seconds - tolerance - 1e-6)
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline,
                $"the service scored {status.AudioProcessedS} s of audio, not {seconds} s, in time\n{context?.Invoke()}");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until the service has scored <paramref name="seconds"/> more audio than it had when asked: with a live
    /// microphone, proof that capture flows (and how much audio followed an event), whatever the machine's load.</summary>
    public static async Task<ServiceStatusMessage> WaitForMoreAudioAsync(string socketPath, double seconds, TimeSpan? timeout = null, Func<string>? context = null)
    {
        ServiceStatusMessage now = await WaitForAudioAsync(socketPath, 0, timeout, context);
        return await WaitForAudioAsync(socketPath, now.AudioProcessedS + seconds + ChunkSeconds, timeout, context);
    }
}
