namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>Waits on a condition with a deadline (never a fixed sleep); fails with the context when it does not come.</summary>
public static class Eventually
{
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> context)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out: " + context());
            await Task.Delay(20);
        }
    }
}
