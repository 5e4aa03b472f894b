using System.Runtime;
using Xunit;

namespace WakeWord.Tests.Shared;

/// <summary>
/// Every test host runs without background GC (Directory.Build.props): the allocation-free tests read the thread's
/// allocation counter, which a background GC started by another test moves without this thread allocating.
/// </summary>
public sealed class TestHostGcTests
{
    [Fact]
    public void The_test_host_collects_without_background_gc() =>
        Assert.Equal(GCLatencyMode.Batch, GCSettings.LatencyMode);
}
