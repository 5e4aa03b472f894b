using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WakeWord.Service.Hub;
using WakeWord.Service.Status;

namespace WakeWord.Service.Events;

/// <summary>
/// Runs the <see cref="EventPipeServer"/> for the life of the host and feeds it from the <see cref="ServiceHub"/>.
/// Registered after the detection worker, so the hub knows the loaded words when the first hello goes out. It closes
/// in <see cref="StoppedAsync"/>, after every service's StopAsync: the worker has stopped the audio loop by then, so the
/// last wake events it raised are written to the clients before they are disconnected (StopAsync runs in reverse
/// order of registration, which would close the pipe first).
/// </summary>
public sealed partial class EventPipeHostedService : IHostedLifecycleService, IAsyncDisposable
{
    private readonly EventsOptions _options;
    private readonly ServiceHub _hub;
    private readonly ILogger<EventPipeServer> _logger;
    private readonly TimeProvider _time;
    private EventPipeServer? _server;
    private IDisposable? _wakeSubscription;
    private IDisposable? _statusSubscription;
    private IDisposable? _modelsSubscription;
    private readonly ServiceStatusBoard? _status;

    public EventPipeHostedService(IOptions<EventsOptions> options, ServiceHub hub, ILogger<EventPipeServer> logger, TimeProvider? time = null,
        ServiceStatusBoard? status = null)
    {
        _status = status;
        _options = options.Value;
        _hub = hub;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The running server (null when Events:Enabled is false or before start).</summary>
    public EventPipeServer? Server => _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            LogDisabled(_logger);
            return Task.CompletedTask;
        }

        var server = new EventPipeServer(_options, _logger, _time, _status, _hub.Pipe);
        server.Start(_hub.Words);
        _server = server;

        // Called on the audio thread: PublishWake only encodes and offers to bounded queues, it never waits.
        _wakeSubscription = _hub.Events.Subscribe(e => server.PublishWake(e));
        _statusSubscription = _hub.Status.Subscribe(s => server.PublishStatus(SourceStateNames.ToWire(s.Kind), s.Message, s.TimeUtc));
        _modelsSubscription = _hub.ModelsReloaded.Subscribe(m => server.PublishModelsReloaded(m.Words, m.Message));
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Nothing yet: the audio loop may still raise events until the worker has stopped.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        _wakeSubscription?.Dispose();
        _statusSubscription?.Dispose();
        _modelsSubscription?.Dispose();
        if (_server is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await StoppedAsync(CancellationToken.None).ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event pipe disabled (Events:Enabled is false)")]
    private static partial void LogDisabled(ILogger logger);
}
