namespace WakeWord.Service.Options;

/// <summary>Settings that cannot be used (the command line, a settings file); the message names the problem.</summary>
public sealed class InvalidSettingsException(string message) : Exception(message);
