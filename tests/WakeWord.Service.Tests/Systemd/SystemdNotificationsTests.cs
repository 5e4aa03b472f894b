using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WakeWord.Core.Audio;
using WakeWord.Service.Hub;
using WakeWord.Service.Systemd;

namespace WakeWord.Service.Tests.Systemd;

/// <summary>
/// What is sent when, with time injected. The datagrams themselves (a real NOTIFY_SOCKET, the published service) are
/// covered in WakeWord.EndToEnd.Tests' SystemdNotifyTests; here systemd's end is a list of what it would receive.
/// </summary>
public sealed class SystemdNotificationsTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly SentStates _sent = new();
    private readonly ServiceHub _hub = new();

    public void Dispose() => _hub.Dispose();

    [Theory]
    [InlineData("30000000", null, 30.0)]
    [InlineData("30000000", "4242", 30.0)]
    [InlineData("500000", "", 0.5)]
    [InlineData("30000000", "17", null)]   // inherited from another process
    [InlineData("0", null, null)]
    [InlineData("-5", null, null)]
    [InlineData("30s", null, null)]
    [InlineData(null, null, null)]
    public void WatchdogIntervalIsTakenOnlyWhenItIsForThisProcess(string? usec, string? pid, double? seconds)
    {
        TimeSpan? interval = SystemdNotifications.WatchdogInterval(usec, pid, processId: 4242);

        Assert.Equal(seconds, interval?.TotalSeconds);
    }

    [Fact]
    public async Task ReadyCarriesTheStatusPublishedBeforeItAndLaterStatusesFollow()
    {
        using SystemdNotifications notifications = Create(watchdog: null);
        _hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.Listening, "listening on stdin", _time.GetUtcNow()));
        Assert.Empty(_sent.States);

        await notifications.StartAsync(CancellationToken.None);
        _hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.DeviceLost, "Microphone default is unavailable.\nRetrying.", _time.GetUtcNow()));
        await notifications.StopAsync(CancellationToken.None);

        Assert.Equal(["READY=1\nSTATUS=listening on stdin", "STATUS=Microphone default is unavailable. Retrying.", "STOPPING=1\nSTATUS=stopping"], _sent.States);
    }

    [Fact]
    public async Task WatchdogPingsEveryHalfIntervalWhileTheLoopIsAliveAndTriggersOnceWhenItHangs()
    {
        var health = new AudioLoopHealth(_time);
        using SystemdNotifications notifications = Create(TimeSpan.FromSeconds(10), health);
        health.ExpectAudio(true); // what the audio loop does when its microphone says it listens
        await notifications.StartAsync(CancellationToken.None);
        Assert.Equal(1, _sent.Count("WATCHDOG=1")); // at once

        for (int i = 0; i < 40; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            health.ChunkStarted();
            health.ChunkDone();
        }

        Assert.Equal(1 + 4, _sent.Count("WATCHDOG=1")); // 20 s at one ping per 5 s
        Assert.Equal(0, _sent.Count("WATCHDOG=trigger"));

        for (int i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(5)); // the microphone goes quiet while it says it is listening
        }

        Assert.Equal(1 + 4 + 2, _sent.Count("WATCHDOG=1")); // still alive at 5 s and 10 s of quiet
        Assert.Equal(1, _sent.Count("WATCHDOG=trigger"));   // at 15 s: hung, and said once
        Assert.Equal("WATCHDOG=trigger", _sent.States[^1]);
    }

    [Fact]
    public async Task A_file_or_stdin_source_that_goes_quiet_is_idle_not_hung()
    {
        // The audio loop announces a file or stdin source as listening through the hub, as it does a microphone; the
        // input may then end or pause for good. That announcement alone made the watchdog ask for a restart 30 s later.
        var health = new AudioLoopHealth(_time);
        using SystemdNotifications notifications = Create(TimeSpan.FromSeconds(10), health);
        _hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.Listening, "listening on stdin", _time.GetUtcNow()));
        await notifications.StartAsync(CancellationToken.None);

        for (int i = 0; i < 24; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(5)); // two minutes without a chunk
        }

        Assert.Equal(0, _sent.Count("WATCHDOG=trigger"));
        Assert.Equal(1 + 24, _sent.Count("WATCHDOG=1"));
    }

    [Fact]
    public async Task NoWatchdogWithoutTheInterval()
    {
        using SystemdNotifications notifications = Create(watchdog: null);
        await notifications.StartAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(["READY=1\nSTATUS=starting"], _sent.States);
    }

    private SystemdNotifications Create(TimeSpan? watchdog, AudioLoopHealth? health = null) =>
        new(_sent, health ?? new AudioLoopHealth(_time), _hub, _time, NullLogger<SystemdNotifications>.Instance, watchdog);

    private sealed class SentStates : ISystemdNotifier
    {
        private readonly List<string> _states = [];

        public bool IsEnabled => true;

        public IReadOnlyList<string> States
        {
            get
            {
                lock (_states)
                {
                    return [.. _states];
                }
            }
        }

        public int Count(string state) => States.Count(s => s == state);

        public void Notify(ServiceState state)
        {
            lock (_states)
            {
                _states.Add(state.ToString());
            }
        }
    }
}
