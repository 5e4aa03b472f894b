namespace WakeWord.Onnx;

/// <summary>A model file that cannot be used, with a message naming the file and the mismatch.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException(string message) : base(message) { }
    public ModelLoadException(string message, Exception inner) : base(message, inner) { }
}
