using Microsoft.Extensions.Time.Testing;
using WakeWord.Service.Systemd;

namespace WakeWord.Service.Tests.Systemd;

public sealed class AudioLoopHealthTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void AnIdleFileOrStdinSourceIsNotHungHoweverLongItWaits()
    {
        var health = new AudioLoopHealth(_time);
        health.ChunkStarted();
        health.ChunkDone();

        _time.Advance(TimeSpan.FromHours(1));

        Assert.Null(health.Hung(Limit));
    }

    [Fact]
    public void AChunkStuckInThePipelinePastTheLimitIsHung()
    {
        var health = new AudioLoopHealth(_time);
        health.ChunkStarted();

        _time.Advance(Limit);
        Assert.Null(health.Hung(Limit));
        _time.Advance(TimeSpan.FromSeconds(1));

        string? what = health.Hung(Limit);
        Assert.NotNull(what);
        Assert.Contains("in the pipeline for 11.0 s", what, StringComparison.Ordinal);

        Assert.Equal(TimeSpan.FromSeconds(11), health.ChunkDone()); // what the meter records for the chunk
        Assert.Null(health.Hung(Limit));
        Assert.Equal(TimeSpan.Zero, health.ChunkDone()); // no chunk in the pipeline
    }

    [Fact]
    public void AListeningMicrophoneThatDeliversNothingPastTheLimitIsHung()
    {
        var health = new AudioLoopHealth(_time);
        health.ExpectAudio(true);
        for (int i = 0; i < 100; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            health.ChunkStarted();
            health.ChunkDone();
            Assert.Null(health.Hung(Limit));
        }

        _time.Advance(Limit + TimeSpan.FromSeconds(2));

        string? what = health.Hung(Limit);
        Assert.NotNull(what);
        Assert.Contains("delivered no audio for 12.0 s", what, StringComparison.Ordinal);
    }

    [Fact]
    public void AMicrophoneWaitingForItsDeviceIsNotHungAndItsClockRestartsWhenTheDeviceIsBack()
    {
        var health = new AudioLoopHealth(_time);
        health.ExpectAudio(true);
        health.ExpectAudio(false); // device lost: retried with backoff, no audio expected

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(health.Hung(Limit));

        health.ExpectAudio(true); // device back: the quiet time counts from now, not from the last chunk
        _time.Advance(Limit);
        Assert.Null(health.Hung(Limit));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(health.Hung(Limit));
    }
}
