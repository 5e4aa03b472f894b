using System.Collections.Immutable;
using WakeWord.Service.Hub;

namespace WakeWord.Service.Events;

/// <summary>
/// The connected clients, counted in the hub's <see cref="PipeCounters"/>: admits one (its hello first, then the audio
/// source's last state), offers a line to all without waiting, forgets one that has left, and keeps the connection tasks
/// that a stop waits for. Publishers read the list without a lock (an immutable array swapped under one).
/// </summary>
internal sealed class PipeClients(PipeCounters counters)
{
    private readonly object _gate = new();
    private readonly List<Task> _tasks = [];
    private ImmutableArray<PipeClientConnection> _all = [];
    private byte[]? _lastStatus;

    public int Count => _all.Length;

    public ImmutableArray<PipeClientConnection> All => _all;

    public PipeCounters Counters => counters;

    /// <summary>Makes <paramref name="client"/> visible to publishers after its <paramref name="hello"/>, so the hello is always its first line.</summary>
    public void Admit(PipeClientConnection client, byte[] hello)
    {
        client.Offer(hello);
        lock (_gate)
        {
            // The counter first: whoever sees the client in the list sees it counted.
            counters.ClientJoined();
            _all = _all.Add(client);

            // A client that connects later still learns the audio source's state (e.g. that the device is lost now).
            if (_lastStatus is { } status)
            {
                client.Offer(status);
            }
        }
    }

    public void Remove(PipeClientConnection client)
    {
        lock (_gate)
        {
            if (_all.Contains(client))
            {
                counters.ClientLeft();
                _all = _all.Remove(client);
            }
        }
    }

    public void Broadcast(byte[] line)
    {
        foreach (PipeClientConnection client in _all)
        {
            client.Offer(line);
        }
    }

    /// <summary>Sends a status line to all and keeps it for clients that come later.</summary>
    public void BroadcastStatus(byte[] line)
    {
        lock (_gate)
        {
            // Under the lock that admits clients: a new client gets either this line or the replay of it, in order.
            _lastStatus = line;
            Broadcast(line);
        }
    }

    /// <summary>Keeps a connection's task (or a refused client's) for <see cref="Tasks"/>.</summary>
    public void Track(Task task)
    {
        lock (_tasks)
        {
            _tasks.RemoveAll(t => t.IsCompleted);
            _tasks.Add(task);
        }
    }

    /// <summary>The tasks of the connections still running (a stop waits for them).</summary>
    public Task[] Tasks()
    {
        lock (_tasks)
        {
            return [.. _tasks];
        }
    }
}
