namespace WakeWord.Service.Worker;

/// <summary>
/// Watches the folders that hold the running models and calls back once things have been quiet for a moment: a copy
/// arrives in several writes, and one save can raise several events. The callback decides (by file stamps) whether
/// anything it cares about changed, so no file-name filter here: a rename from a temporary name counts too.
/// </summary>
public sealed class ModelFileWatcher : IDisposable
{
    private readonly Action _changed;
    private readonly TimeSpan _quiet;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private List<FileSystemWatcher> _watchers = [];
    private string[] _folders = [];
    private bool _disposed;
    private long _eventsSeen;

    public ModelFileWatcher(Action changed, TimeSpan quiet, TimeProvider? time = null)
    {
        _changed = changed;
        _quiet = quiet;
        _timer = (time ?? TimeProvider.System).CreateTimer(_ => _changed(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>File system events handled so far (for tests: the quiet time counts from the last one, already armed).</summary>
    internal long EventsSeen => Interlocked.Read(ref _eventsSeen);

    /// <summary>Watches exactly these folders from now on (missing ones are skipped).</summary>
    /// <returns>
    /// The folders that cannot be watched, each with the reason (e.g. the system's inotify limit is reached): the
    /// caller logs them; model changes there then need a restart. Never throws for that: watching is a convenience.
    /// </returns>
    public IReadOnlyList<(string Folder, string Reason)> Watch(IEnumerable<string> folders)
    {
        string[] wanted = [.. folders.Where(Directory.Exists).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var failures = new List<(string Folder, string Reason)>();
        lock (_gate)
        {
            if (_disposed || wanted.SequenceEqual(_folders, StringComparer.Ordinal))
            {
                return failures;
            }

            DisposeWatchers();
            _folders = wanted;
            foreach (string folder in wanted)
            {
                var watcher = new FileSystemWatcher(folder)
                {
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
                    IncludeSubdirectories = false,
                };
                watcher.Changed += OnEvent;
                watcher.Created += OnEvent;
                watcher.Deleted += OnEvent;
                watcher.Renamed += OnEvent;
                // An overflowed event queue lost events: look anyway.
                watcher.Error += (_, _) => Poke();
                try
                {
                    watcher.EnableRaisingEvents = true;
                    _watchers.Add(watcher);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
                {
                    watcher.Dispose();
                    failures.Add((folder, ex.Message));
                }
            }
        }

        return failures;
    }

    public IReadOnlyList<string> Folders
    {
        get
        {
            lock (_gate)
            {
                return _folders;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            DisposeWatchers();
        }

        _timer.Dispose();
    }

    private void OnEvent(object sender, FileSystemEventArgs e) => Poke();

    private void Poke()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _timer.Change(_quiet, Timeout.InfiniteTimeSpan);
            }

            // Counted once the quiet time is armed, so whoever sees the count may advance time past it.
            Interlocked.Increment(ref _eventsSeen);
        }
    }

    private void DisposeWatchers()
    {
        foreach (FileSystemWatcher watcher in _watchers)
        {
            watcher.Dispose();
        }

        _watchers = [];
        _folders = [];
    }
}
