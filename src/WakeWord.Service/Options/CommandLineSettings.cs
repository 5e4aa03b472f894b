namespace WakeWord.Service.Options;

/// <summary>
/// Checks the service's command line before the host reads it. The host's parser takes "--key value" pairs, so an
/// unknown or misspelt option silently swallows the next one (<c>--frobnicate --Events:PipeName=/tmp/x.sock</c> served
/// on the default socket); here every key must start with a known section and every option needs a value.
/// </summary>
public static class CommandLineSettings
{
    // The service's own sections, the logging ones, and the keys the .NET host itself reads.
    private static readonly string[] Sections = ["Audio", "Models", "Events", "Metrics", "Serilog", "Logging"];
    private static readonly string[] HostKeys = ["environment", "contentRoot", "applicationName"];

    public static IReadOnlyList<string> Problems(IReadOnlyList<string> args)
    {
        var problems = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string body = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg.StartsWith('/') ? arg[1..] : arg;
            int equals = body.IndexOf('=', StringComparison.Ordinal);
            string key = equals >= 0 ? body[..equals] : body;
            if (equals < 0 && body.Length == arg.Length)
            {
                problems.Add($"'{arg}' on the command line is not a setting; write --Section:Key=value (e.g. --Audio:Source=file)");
                continue;
            }

            string section = key.Split(':')[0];
            if (!Sections.Contains(section, StringComparer.OrdinalIgnoreCase) && !HostKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"'{arg}' on the command line is not a setting; settings are --Section:Key=value with Section one of {string.Join(", ", Sections)}");
            }
            else if (equals < 0 && (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)))
            {
                problems.Add($"'{arg}' on the command line has no value; write {arg}=value");
                continue;
            }

            if (equals < 0)
            {
                i++; // "--key value": the next argument is this key's value (as the host's parser takes it)
            }
        }

        return problems;
    }
}
