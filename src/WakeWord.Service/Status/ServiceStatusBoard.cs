using WakeWord.Client.Protocol;
using WakeWord.Core.Audio;
using WakeWord.Core.Detection;
using WakeWord.Service.Hub;
using WakeWord.Service.Metrics;

namespace WakeWord.Service.Status;

/// <summary>
/// What `wakeword status` shows: the hub's running models and pipe figures, the source's last state, events per word and
/// the last event, kept from the start of the service; audio processed from the meter. Wake events are rare, so counting
/// them under a lock costs the audio thread nothing that matters; chunks are not seen here at all.
/// </summary>
public sealed class ServiceStatusBoard : IDisposable
{
    private readonly ServiceHub _hub;
    private readonly ServiceMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _eventsByWord = new(StringComparer.Ordinal);
    private readonly IDisposable _eventSubscription;
    private readonly IDisposable _statusSubscription;
    private AudioSourceStatus? _source;
    private WakeEvent? _last;

    public ServiceStatusBoard(ServiceHub hub, TimeProvider time, ServiceMetrics? metrics = null)
    {
        _hub = hub;
        _time = time;
        _metrics = metrics;
        Started = time.GetUtcNow();

        // Subscribed here, when the container builds the pipe's hosted service: before the worker publishes its first status.
        _eventSubscription = hub.Events.Subscribe(OnWake);
        _statusSubscription = hub.Status.Subscribe(OnStatus);
    }

    public DateTimeOffset Started { get; }

    /// <summary>The answer to one status command.</summary>
    public ServiceStatusMessage Snapshot(string? id)
    {
        DateTimeOffset now = _time.GetUtcNow();
        ProcessStatus process = ProcessNow(); // file reads: outside the lock that the audio thread's wake events take
        ModelStatus[] models = [.. _hub.Models.Select(m => new ModelStatus(m.Id, m.Word, m.Settings.Threshold,
            m.Settings.ConsecutiveSteps, m.Settings.RefractorySeconds, m.Path))];
        lock (_gate)
        {
            SourceStatus sourceStatus = _source is { } s
                ? new SourceStatus(SourceStateNames.ToWire(s.Kind), s.IsListening, s.Message, s.TimeUtc.ToUniversalTime())
                : new SourceStatus("starting", false, "the audio source has not reported yet", null);
            LastWake? lastWake = _last is { } w ? new LastWake(w.Word, w.ModelId, w.Score, w.TimeUtc.ToUniversalTime()) : null;
            return new ServiceStatusMessage(id, now, ServiceVersion.Current, Started, (now - Started).TotalSeconds, sourceStatus,
                models, Math.Round(_metrics?.AudioSecondsProcessed ?? 0, 3), new Dictionary<string, long>(_eventsByWord, StringComparer.Ordinal),
                lastWake, _hub.Pipe.Clients, _hub.Pipe.DroppedLines, process);
        }
    }

    // Read on request only (a status command is rare), never on the audio path. On Linux straight from /proc/self:
    // System.Diagnostics.Process would load and JIT several megabytes of code into a service that is meant to be small.
    private static ProcessStatus ProcessNow()
    {
        long resident = 0;
        int threads = 0, handles = 0;
        if (OperatingSystem.IsLinux())
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    resident = 1024 * long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    threads = int.Parse(line.AsSpan(8).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            foreach (string _ in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            {
                handles++;
            }
        }
        else
        {
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            (resident, threads, handles) = (process.WorkingSet64, process.Threads.Count, process.HandleCount);
        }

        return new ProcessStatus(resident, GC.GetTotalMemory(forceFullCollection: false), GC.GetTotalAllocatedBytes(),
            [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)], threads, handles);
    }

    public void Dispose()
    {
        _eventSubscription.Dispose();
        _statusSubscription.Dispose();
    }

    private void OnWake(WakeEvent wake)
    {
        lock (_gate)
        {
            _eventsByWord[wake.Word] = _eventsByWord.GetValueOrDefault(wake.Word) + 1;
            _last = wake;
        }
    }

    private void OnStatus(AudioSourceStatus status)
    {
        lock (_gate)
        {
            _source = status;
        }
    }
}
