namespace WakeWord.Core.Audio;

/// <summary>A fault of an audio source, with a message meant for the user (names the file or device and the problem).</summary>
public sealed class AudioSourceException : Exception
{
    public AudioSourceException(string message) : base(message) { }
    public AudioSourceException(string message, Exception inner) : base(message, inner) { }
}
