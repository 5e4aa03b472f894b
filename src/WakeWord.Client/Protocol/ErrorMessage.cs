namespace WakeWord.Client.Protocol;

/// <summary>The service rejected a command line. The connection stays up, except after "line_too_long" and "too_many_clients".</summary>
/// <param name="Code">One of <see cref="ErrorCodes"/>.</param>
/// <param name="Message">What was wrong, for people.</param>
/// <param name="Id">The command's id when it could be read.</param>
public sealed record ErrorMessage(string Code, string Message, string? Id = null) : ServerMessage;
