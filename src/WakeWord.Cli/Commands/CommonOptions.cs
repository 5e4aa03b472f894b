using System.CommandLine;

namespace WakeWord.Cli.Commands;

/// <summary>Options several commands share, built fresh per command (a symbol belongs to one parent).</summary>
public static class CommonOptions
{
    public static Option<string[]> Model() => new("--model", "-m")
    {
        Description = "A model file (.onnx); repeat for several models. Default: every model in --models-dir.",
        HelpName = "path",
    };

    public static Option<string[]> Word() => new("--word", "-w")
    {
        Description = "Choose a model in --models-dir by its wake word (e.g. computer); repeatable.",
        HelpName = "word",
    };

    public static Option<string?> ModelsDirectory() => new("--models-dir")
    {
        Description = "Folder of models. Default: the models/ folder next to the wakeword binary.",
        HelpName = "folder",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print JSON lines (one object per line) instead of text.",
    };
}
