namespace WakeWord.Client.Protocol;

/// <summary>Values of <see cref="ErrorMessage.Code"/>.</summary>
public static class ErrorCodes
{
    /// <summary>Not a JSON object (bad JSON, binary data, invalid UTF-8, no "type").</summary>
    public const string MalformedJson = "malformed_json";

    /// <summary>A JSON object whose "type" is not a command.</summary>
    public const string UnknownCommand = "unknown_command";

    /// <summary>A known command with a bad field (e.g. subscribe with an empty word list).</summary>
    public const string InvalidArgument = "invalid_argument";

    /// <summary>The service cannot answer this command (e.g. status from a server that keeps none).</summary>
    public const string Unavailable = "unavailable";

    /// <summary>A line longer than the limit; the service closes the connection after this error.</summary>
    public const string LineTooLong = "line_too_long";

    /// <summary>The service has as many clients as it allows; it closes the connection after this error.</summary>
    public const string TooManyClients = "too_many_clients";
}
