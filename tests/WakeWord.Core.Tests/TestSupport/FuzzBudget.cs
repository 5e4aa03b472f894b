namespace WakeWord.Tests.Support;

/// <summary>
/// How long the CsCheck property tests (the fuzz targets) run. By default they run their iteration count, a short
/// replay that fits in `dotnet test`; WAKEWORD_FUZZ_SECONDS=N makes each run N seconds instead, for the long runs
/// (docs/performance.md, "Fuzzing"). Linked into each test project that has property tests.
/// </summary>
internal static class FuzzBudget
{
    /// <summary>The <c>time</c> argument of CsCheck's Sample: -1 (the iteration count decides) or the seconds set.</summary>
    public static int Seconds =>
        int.TryParse(Environment.GetEnvironmentVariable("WAKEWORD_FUZZ_SECONDS"), out int s) && s > 0 ? s : -1;
}
