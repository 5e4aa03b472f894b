using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using WakeWord.Core.Audio;
using WakeWord.Service.Hub;
using WakeWord.Service.Logging;

namespace WakeWord.Service.Systemd;

/// <summary>
/// sd_notify(3) for a Type=notify unit: READY=1 once every other hosted service has started (this one is registered
/// last, and the worker's start waits until the source is listening or waiting for its device), STATUS= with the
/// source's state, STOPPING=1 on shutdown, and WATCHDOG=1 every half WATCHDOG_USEC while <see cref="AudioLoopHealth"/>
/// says the audio loop is alive; a hung loop gets WATCHDOG=trigger, so systemd restarts the service (Restart=).
/// </summary>
/// <remarks>
/// Acts when NOTIFY_SOCKET is set, as libsystemd's sd_notify does. AddSystemd() is not used: it enables its notifier
/// only when the parent process is PID 1 or named systemd (a test cannot start the service that way) and sends READY
/// from its own lifetime, a second source of the same rule.
/// </remarks>
public sealed class SystemdNotifications : IHostedService, IDisposable
{
    private static readonly ServiceState WatchdogPing = new("WATCHDOG=1");
    private static readonly ServiceState WatchdogTrigger = new("WATCHDOG=trigger");
    private readonly ISystemdNotifier _notifier;
    private readonly AudioLoopHealth _health;
    private readonly TimeProvider _time;
    private readonly ILogger<SystemdNotifications> _logger;
    private readonly TimeSpan? _watchdogInterval;
    private readonly IDisposable _statusSubscription;
    private readonly Lock _gate = new();
    private string _status = "starting";
    private bool _ready;
    private bool _triggered;
    private ITimer? _watchdogTimer;

    public SystemdNotifications(ISystemdNotifier notifier, AudioLoopHealth health, ServiceHub hub, TimeProvider time, ILogger<SystemdNotifications> logger)
        : this(notifier, health, hub, time, logger, WatchdogInterval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId))
    {
    }

    internal SystemdNotifications(ISystemdNotifier notifier, AudioLoopHealth health, ServiceHub hub, TimeProvider time, ILogger<SystemdNotifications> logger, TimeSpan? watchdogInterval)
    {
        _notifier = notifier;
        _health = health;
        _time = time;
        _logger = logger;
        _watchdogInterval = watchdogInterval;

        // Subscribed here, not in StartAsync: the worker publishes its first status while it starts, before this does.
        _statusSubscription = hub.Status.Subscribe(OnStatus);
    }

    /// <summary>The watchdog period systemd asks for, or null: WATCHDOG_USEC unset or not a positive number, or
    /// WATCHDOG_PID naming another process (the variables were inherited).</summary>
    public static TimeSpan? WatchdogInterval(string? usec, string? pid, int processId)
    {
        if (!long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out long micros) || micros <= 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(pid) && pid != processId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(micros);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _ready = true;
            Send($"READY=1\nSTATUS={_status}");
        }

        if (_watchdogInterval is TimeSpan interval && _notifier.IsEnabled)
        {
            TimeSpan period = interval / 2;
            _watchdogTimer = _time.CreateTimer(_ => Ping(interval), null, TimeSpan.Zero, period);
            ServiceLog.WatchdogEnabled(_logger, interval.TotalSeconds);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _watchdogTimer?.Dispose();
        Send("STOPPING=1\nSTATUS=stopping");
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watchdogTimer?.Dispose();
        _statusSubscription.Dispose();
    }

    private void OnStatus(AudioSourceStatus change)
    {
        lock (_gate)
        {
            _status = change.Message.ReplaceLineEndings(" ");
            if (_ready)
            {
                Send("STATUS=" + _status);
            }
        }
    }

    private void Ping(TimeSpan limit)
    {
        if (_triggered)
        {
            return;
        }

        if (_health.Hung(limit) is string what)
        {
            _triggered = true;
            ServiceLog.AudioLoopHung(_logger, what);
            _notifier.Notify(WatchdogTrigger);
            return;
        }

        _notifier.Notify(WatchdogPing);
    }

    private void Send(string state)
    {
        if (_notifier.IsEnabled)
        {
            _notifier.Notify(new ServiceState(state));
        }
    }
}
