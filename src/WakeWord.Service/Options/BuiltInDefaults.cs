namespace WakeWord.Service.Options;

/// <summary>
/// Settings a service with no settings file at all runs on, beyond what the options classes default to: the README's
/// <c>Models:Active</c> default of one model, "computer". It cannot be the default of <see cref="ModelsOptions.Active"/>:
/// the configuration binder adds a file's list entries to a list that already holds one. As the lowest configuration
/// source it is overridden key by key, like the shipped file (<c>--Models:Active:0:Word=</c> with <c>:Path=</c>).
/// </summary>
public static class BuiltInDefaults
{
    public const string Word = "computer";

    public static IEnumerable<KeyValuePair<string, string?>> Settings { get; } =
    [
        new($"{ModelsOptions.SectionName}:Active:0:Word", Word),
    ];
}
