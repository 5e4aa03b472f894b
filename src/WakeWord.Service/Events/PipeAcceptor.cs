using System.IO.Pipes;
using Microsoft.Extensions.Logging;

namespace WakeWord.Service.Events;

/// <summary>
/// Accepts clients on the <see cref="PipeEndpoint"/> until stopped and hands each connected instance on. One instance
/// always waits ahead of the one accepting (on Unix they share the listening socket, which goes with the last one), and
/// a failed accept backs off and carries on, so no client error ends the serving.
/// </summary>
internal sealed partial class PipeAcceptor(PipeEndpoint endpoint, ILogger logger)
{
    /// <param name="first">The instance <see cref="PipeEndpoint.Open"/> made; the loop owns it from here.</param>
    /// <param name="admit">Takes a connected instance (it must not block).</param>
    public async Task RunAsync(NamedPipeServerStream first, Action<NamedPipeServerStream> admit, CancellationToken stopping)
    {
        NamedPipeServerStream pending = first;
        int failures = 0;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                NamedPipeServerStream current = pending;
                NamedPipeServerStream? next = null;
                try
                {
                    next = endpoint.CreateInstance();
                    await current.WaitForConnectionAsync(stopping).ConfigureAwait(false);
                    failures = 0;
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    next?.Dispose();
                    return;
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    // A client that connects and vanishes at once can fail the accept, and so can running out of file
                    // descriptors (a SocketException): whatever it is, back off a little and keep serving.
                    failures++;
                    LogAcceptFailed(logger, endpoint.Path, e.Message);
                    current.Dispose();
                    if (next is not null)
                    {
                        pending = next;
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 50 * (failures - 1))), stopping).ConfigureAwait(false);
                    }
                    else
                    {
                        pending = await RecreateAfterDelayAsync(failures, stopping).ConfigureAwait(false);
                    }

                    continue;
                }

                pending = next;
                admit(current);
            }
        }
        finally
        {
            pending.Dispose();
        }
    }

    private async Task<NamedPipeServerStream> RecreateAfterDelayAsync(int failures, CancellationToken stopping)
    {
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * failures)), stopping).ConfigureAwait(false);
            try
            {
                return endpoint.Recreate();
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                failures++;
                LogAcceptFailed(logger, endpoint.Path, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting an event client on {Path} failed: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string path, string reason);
}
