using BenchmarkDotNet.Running;
using WakeWord.Benchmarks;

// `--rtf`: one timed pass over an hour of audio (see RealTimeFactor). Anything else goes to BenchmarkDotNet
// (`-- --filter '*'`).
if (args.Contains("--rtf"))
{
    return RealTimeFactor.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(FeaturizerBenchmarks).Assembly).Run(args);
return 0;
