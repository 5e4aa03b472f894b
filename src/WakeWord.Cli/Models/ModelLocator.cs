using WakeWord.Onnx;

namespace WakeWord.Cli.Models;

/// <summary>
/// Finds model files: explicit paths, or models chosen by wake word, or every model shipped next to the binary.
/// Missing files are <see cref="ModelLoadException"/>s naming what was looked for and where.
/// </summary>
public static class ModelLocator
{
    /// <summary>The models/ folder copied next to the binary at build time.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "models");

    public static IReadOnlyList<string> Resolve(IReadOnlyList<string> paths, IReadOnlyList<string> words, string? directory)
    {
        var found = new List<string>();
        foreach (string path in paths)
        {
            if (Directory.Exists(path))
            {
                throw new ModelLoadException($"{path}: is a directory; --model takes an .onnx file (use --models-dir for a folder)");
            }

            if (!File.Exists(path))
            {
                throw new ModelLoadException($"{path}: model file not found");
            }

            found.Add(Path.GetFullPath(path));
        }

        if (words.Count == 0 && found.Count > 0)
        {
            return found;
        }

        string dir = directory ?? DefaultDirectory;
        IReadOnlyList<string> available = ListDirectory(dir);
        foreach (string word in words)
        {
            found.Add(FindWord(word, dir, available));
        }

        return found.Count > 0 ? found : available;
    }

    /// <summary>Every *.onnx in a folder, sorted; an error when the folder is missing or holds none.</summary>
    public static IReadOnlyList<string> ListDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new ModelLoadException($"{directory}: model directory not found; pass --model <file.onnx> or --models-dir <folder>");
        }

        string[] files = Directory.GetFiles(directory, "*.onnx");
        Array.Sort(files, StringComparer.Ordinal);
        if (files.Length == 0)
        {
            throw new ModelLoadException($"{directory}: no models (*.onnx) in this folder; pass --model <file.onnx>");
        }

        return files;
    }

    private static string FindWord(string word, string directory, IReadOnlyList<string> available)
    {
        // models/<word>.onnx is the naming rule; metadata is the fallback for a model saved under another name.
        string byName = Path.Combine(directory, word + ".onnx");
        if (File.Exists(byName))
        {
            return Path.GetFullPath(byName);
        }

        var words = new List<string>();
        foreach (string file in available)
        {
            string modelWord;
            try
            {
                modelWord = OnnxModelLoader.ReadInfo(file).Word;
            }
            catch (ModelLoadException)
            {
                continue;
            }

            if (string.Equals(modelWord, word, StringComparison.OrdinalIgnoreCase))
            {
                return Path.GetFullPath(file);
            }

            words.Add(modelWord);
        }

        string have = words.Count == 0 ? "none" : string.Join(", ", words);
        throw new ModelLoadException($"no model for the word \"{word}\" in {directory} (available: {have})");
    }
}
