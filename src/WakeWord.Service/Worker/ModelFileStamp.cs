namespace WakeWord.Service.Worker;

/// <summary>
/// Size and modification time of a model file: enough to tell a replaced model (a copy, a training export's rename)
/// from the spurious or unrelated events a folder watcher also reports.
/// </summary>
public readonly record struct ModelFileStamp(long Length, DateTime LastWriteUtc)
{
    /// <summary>The stamp of a file that is not there.</summary>
    public static readonly ModelFileStamp Missing = new(-1, DateTime.MinValue);

    public static ModelFileStamp Of(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? new ModelFileStamp(file.Length, file.LastWriteTimeUtc) : Missing;
    }
}
