using Xunit.Abstractions;

namespace WakeWord.Audio.Tests.Capture;

/// <summary>The 60 s real-time run, per Linux backend. Category "Slow": a minute each; CI runs it (filter only Hardware out).</summary>
[Collection(PulseServerCollection.Name)]
[Trait("Category", "Slow")]
public sealed class CapturePaceSlowTests(PulseServerFixture server, ITestOutputHelper output)
{
    [PulseTheory]
    [InlineData("pulse", "")]
    [InlineData("alsa", "pulse")]
    public void Capture_keeps_real_time_pace_for_60_seconds(string backend, string device)
    {
        Assert.True(server.Pid > 0);
        CapturePace.Check(backend, device, TimeSpan.FromSeconds(60), output);
    }
}
