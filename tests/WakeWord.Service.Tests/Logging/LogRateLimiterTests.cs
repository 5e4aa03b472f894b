using Microsoft.Extensions.Time.Testing;
using WakeWord.Service.Logging;

namespace WakeWord.Service.Tests.Logging;

public sealed class LogRateLimiterTests
{
    [Fact]
    public void OneLinePerIntervalAndTheNextOneCountsThoseHeldBack()
    {
        var time = new FakeTimeProvider();
        var limiter = new LogRateLimiter(time, TimeSpan.FromSeconds(10));

        Assert.True(limiter.TryEnter(out long first));
        Assert.Equal(0, first);
        for (int i = 0; i < 1000; i++)
        {
            Assert.False(limiter.TryEnter(out _));
        }

        time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(limiter.TryEnter(out _));
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(limiter.TryEnter(out long heldBack));
        Assert.Equal(1001, heldBack);
        Assert.False(limiter.TryEnter(out _));
    }
}
