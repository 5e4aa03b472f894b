namespace WakeWord.Service.Events;

/// <summary>The event pipe cannot be served (path taken by another service, folder not writable, unknown group); the message names the path.</summary>
public sealed class EventPipeException : IOException
{
    public EventPipeException(string message) : base(message) { }
    public EventPipeException(string message, Exception inner) : base(message, inner) { }
}
