using BenchmarkDotNet.Running;
using WakeWord.Benchmarks;

// `--rtf`: one timed pass over an hour of audio (see RealTimeFactor); `--stages`: front end against head in one pass
// (see StageCost). Anything else goes to BenchmarkDotNet (`-- --filter '*'`).
if (args.Contains("--rtf"))
{
    return RealTimeFactor.Run(args);
}

if (args.Contains("--stages"))
{
    return StageCost.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(FeaturizerBenchmarks).Assembly).Run(args);
return 0;
