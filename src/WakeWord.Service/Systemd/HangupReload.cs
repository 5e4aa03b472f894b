using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WakeWord.Service.Logging;

namespace WakeWord.Service.Systemd;

/// <summary>
/// SIGHUP re-reads the settings files now (`systemctl reload wakeword`, ExecReload in the units), as daemons do: a
/// changed model list or detector setting then takes effect as after a live edit, and a broken file is refused with the
/// running settings kept. Without this handler .NET leaves SIGHUP at its default action, and a hang-up or a reflexive
/// `kill -HUP` ended the service silently (exit 129).
/// </summary>
internal sealed class HangupReload(IConfiguration configuration, ILogger<HangupReload> logger) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnHangup);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _registration?.Dispose();
        _registration = null;
    }

    private void OnHangup(PosixSignalContext context)
    {
        context.Cancel = true; // handled: not the default action (terminate)
        ServiceLog.HangupReload(logger);
        try
        {
            (configuration as IConfigurationRoot)?.Reload();
        }
        catch (Exception ex)
        {
            // The signal thread: an escaped exception would end the process.
            ServiceLog.HangupReloadFailed(logger, ex.Message);
        }
    }
}
