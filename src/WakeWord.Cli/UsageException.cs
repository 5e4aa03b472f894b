namespace WakeWord.Cli;

/// <summary>A command line that parses but makes no sense (e.g. --rate with a file input); exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
