namespace WakeWord.Service.Options;

/// <summary>
/// Where the files named by <see cref="ModelsOptions"/> are, one rule for the validator and the worker: a model Path is
/// relative to the current directory (like Audio:FilePath: paths a user types); Models:Directory is relative to the
/// service's folder, where the shipped models are.
/// </summary>
public static class ModelFiles
{
    public static string DirectoryOf(ModelsOptions options, string contentRoot) =>
        Path.GetFullPath(Path.Combine(contentRoot, options.Directory));

    public static string PathOf(ModelEntryOptions entry, ModelsOptions options, string contentRoot) =>
        !string.IsNullOrWhiteSpace(entry.Path)
            ? Path.GetFullPath(entry.Path)
            : Path.Combine(DirectoryOf(options, contentRoot), entry.Word!.Trim() + ".onnx");

    /// <summary>The files to load: the Active entries, or every *.onnx in the folder when the list is empty.</summary>
    public static IReadOnlyList<string> Resolve(ModelsOptions options, string contentRoot)
    {
        if (options.Active.Count > 0)
        {
            return options.Active.Select(e => PathOf(e, options, contentRoot)).ToArray();
        }

        string directory = DirectoryOf(options, contentRoot);
        if (!System.IO.Directory.Exists(directory))
        {
            return [];
        }

        string[] files = System.IO.Directory.GetFiles(directory, "*.onnx");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }
}
