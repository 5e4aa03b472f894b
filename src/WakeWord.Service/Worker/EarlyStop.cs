using Microsoft.Extensions.Hosting;

namespace WakeWord.Service.Worker;

/// <summary>
/// A stop the audio loop asks for while the host is still starting (an input that ends at once: empty stdin with
/// Audio:ExitAtEnd) waits until the start has finished, its "Application started" line included; requested from inside
/// the start, the log said "Application is shutting down..." first. (A callback on ApplicationStarted is too early:
/// callbacks run newest first, before the console lifetime's.) Program.cs calls <see cref="HostStarted"/> once
/// host.Start() has returned.
/// </summary>
public sealed class EarlyStop(IHostApplicationLifetime lifetime)
{
    private readonly Lock _gate = new();
    private bool _started;
    private bool _requested;

    /// <summary>Stops the host now, or as soon as it has started.</summary>
    public void Request()
    {
        lock (_gate)
        {
            if (!_started)
            {
                _requested = true;
                return;
            }
        }

        lifetime.StopApplication();
    }

    /// <summary>The host has started: a stop requested meanwhile takes effect now.</summary>
    public void HostStarted()
    {
        bool stop;
        lock (_gate)
        {
            _started = true;
            stop = _requested;
        }

        if (stop)
        {
            lifetime.StopApplication();
        }
    }
}
