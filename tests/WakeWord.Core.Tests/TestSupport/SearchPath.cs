namespace WakeWord.Tests.Support;

/// <summary>
/// Finds a program in the PATH folders, as a shell would: for tests that start a tool or skip without it. Linked into
/// each test project that starts programs (one lookup for all of them).
/// </summary>
internal static class SearchPath
{
    /// <summary>The full path of <paramref name="program"/> in the first PATH folder that has it, or null.</summary>
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    /// <summary>True when every one of <paramref name="programs"/> is on PATH.</summary>
    public static bool HasAll(params string[] programs) => programs.All(p => Find(p) is not null);
}
