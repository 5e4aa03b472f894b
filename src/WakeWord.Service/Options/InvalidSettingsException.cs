namespace WakeWord.Service.Options;

/// <summary>A command line the service cannot use; the message names the problem.</summary>
public sealed class InvalidSettingsException(string message) : Exception(message);
