using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;
using WakeWord.Core.Audio;
using WakeWord.Onnx;
using WakeWord.Service.Events;
using WakeWord.Service.Hub;
using WakeWord.Service.Logging;
using WakeWord.Service.Metrics;
using WakeWord.Service.Status;
using WakeWord.Service.Options;
using WakeWord.Service.Systemd;
using WakeWord.Service.Worker;

// Until appsettings.json is read, log to the console so that a failure this early is still seen.
Log.Logger = new LoggerConfiguration()
    .WriteTo.Console()
    .CreateBootstrapLogger();

// A file sink that cannot write (read-only or full log folder) would otherwise stop without a word.
var sinkFailures = new LogSinkFailures(Console.Error, TimeProvider.System, TimeSpan.FromMinutes(1));
Serilog.Debugging.SelfLog.Enable(sinkFailures.Report);

var exitCode = new ServiceExitCode();
try
{
    IReadOnlyList<string> commandLineProblems = CommandLineSettings.Problems(args);
    if (commandLineProblems.Count > 0)
    {
        throw new InvalidSettingsException(string.Join("; ", commandLineProblems));
    }

    // The content root is the binary's folder, not the current directory: appsettings.json and models/ are shipped
    // there, and a service manager starts us from / (systemd) or System32 (Windows).
    HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
    {
        Args = args,
        ContentRootPath = AppContext.BaseDirectory,
    });

    // WAKEWORD_CONFIG names an extra settings file (e.g. /etc/wakeword/appsettings.json) that overrides the shipped one;
    // environment variables and the command line still override both.
    string? extraSettings = Environment.GetEnvironmentVariable("WAKEWORD_CONFIG");
    if (!string.IsNullOrWhiteSpace(extraSettings))
    {
        if (!File.Exists(extraSettings))
        {
            throw new InvalidDataException($"WAKEWORD_CONFIG = '{extraSettings}': file not found ({Path.GetFullPath(extraSettings)})");
        }

        builder.Configuration.AddJsonFile(Path.GetFullPath(extraSettings), optional: false, reloadOnChange: true);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(args);
    }

    // Every JSON file behind a provider that keeps the last good values when a live edit breaks the file.
    var settingsFiles = SettingsFiles.Of(builder.Configuration);
    builder.Services.AddSingleton(settingsFiles);
    string shipped = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
    bool noSettingsFile = !settingsFiles.Paths.Contains(shipped) && string.IsNullOrWhiteSpace(extraSettings);
    if (noSettingsFile)
    {
        // First, so that environment variables and the command line override it as they would the shipped file.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = BuiltInDefaults.Settings });
    }

    AnchorLogPaths(builder.Configuration);

    // Without appsettings.json (or with no Serilog:WriteTo) Serilog has no sink and the service would say nothing, not
    // even why it stops: the console then.
    bool hasSinks = builder.Configuration.GetSection("Serilog:WriteTo").GetChildren().Any();
    builder.Services.AddSerilog((services, logger) => (hasSinks ? logger : logger.WriteTo.Console())
        .ReadFrom.Configuration(builder.Configuration)
        .ReadFrom.Services(services)
        .Enrich.FromLogContext()
        // The host logs a failed start with the exception's stack trace; for the failures a user causes, the one-line
        // Fatal message below says it all.
        .Filter.ByExcluding(e => e.Exception is not null && StartupFailure(e.Exception) is not null));

    // Acts only when the Windows service manager started the process. systemd: SystemdNotifications below.
    builder.Services.AddWindowsService(options => options.ServiceName = "WakeWord");
    builder.Services.TryAddSingleton(TimeProvider.System);
    builder.Services.AddSingleton<AudioLoopHealth>();
    builder.Services.AddSingleton<ServiceMetrics>();
    builder.Services.AddSingleton<ServiceStatusBoard>();
    builder.Services.AddOptions<MetricsOptions>().BindSettings(builder.Configuration, MetricsOptions.SectionName);
    builder.Services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
    var metricsSettings = new MetricsOptions();
    SettingsBinder.BindSafely(builder.Configuration.GetSection(MetricsOptions.SectionName), metricsSettings);
    if (metricsSettings.PrometheusEnabled && MetricsOptionsValidator.Problem(metricsSettings) is null)
    {
        // Read once here: the listener is set up with the host and a change needs a restart.
        PrometheusEndpoint.AddTo(builder.Services, metricsSettings.PrometheusUrl!);
    }

    builder.Services.AddOptions<AudioOptions>().BindSettings(builder.Configuration, AudioOptions.SectionName);
    builder.Services.AddSingleton<IValidateOptions<AudioOptions>, AudioOptionsValidator>();
    builder.Services.AddOptions<ModelsOptions>().BindSettings(builder.Configuration, ModelsOptions.SectionName);
    builder.Services.AddSingleton<IValidateOptions<ModelsOptions>, ModelsOptionsValidator>();

    builder.Services.AddSingleton(exitCode);
    builder.Services.AddSingleton<EarlyStop>();
    builder.Services.AddSingleton(services => new ServiceHub(services.GetRequiredService<ILogger<ServiceHub>>()));
    builder.Services.AddHostedService<DetectionWorker>();
    builder.Services.AddHostedService<HangupReload>();

    // Readers of the ServiceHub (e.g. the event pipe server) register here, after the worker: hub.Words is set by then.
    builder.Services.AddWakeEventPipe(builder.Configuration);

    // Last: its start (READY=1 under a Type=notify unit) means every service above has started.
    builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
    builder.Services.AddHostedService<SystemdNotifications>();

    using IHost host = builder.Build();
    if (noSettingsFile)
    {
        host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("WakeWord.Service")
            .LogWarning("No settings file: {Shipped} is missing and WAKEWORD_CONFIG is not set; running on the built-in defaults", shipped);
    }

    Microsoft.Extensions.Logging.ILogger onnxLog = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OnnxRuntime");
    OnnxRuntimeEnvironment.Sink = message => onnxLog.LogError("ONNX Runtime: {Message}", message);
    host.Start();
    host.Services.GetRequiredService<EarlyStop>().HostStarted();
    host.WaitForShutdown();
    return exitCode.Value;
}
catch (Exception ex) when (StartupFailure(ex) is (int code, string message))
{
    // Expected failures (bad settings, model, audio) are one line naming the problem, without a stack trace.
    Log.Fatal("WakeWord service cannot start: {Reason}", code == ServiceExitCode.Configuration ? "invalid configuration: " + message : message);
    return code;
}
catch (Exception ex)
{
    Log.Fatal(ex, "WakeWord service stopped on an unexpected error");
    return ServiceExitCode.Unexpected;
}
finally
{
    try
    {
        Log.CloseAndFlush();
    }
    catch (IOException ex)
    {
        // A file sink on a full disk throws from its last flush; the exit code must still be the service's own.
        sinkFailures.Report($"the last flush at exit failed: {ex.Message}");
    }
}

// Maps the failures a user can cause to an exit code and a message; null for anything else (a bug).
static (int Code, string Message)? StartupFailure(Exception ex)
{
    if (ex is AggregateException aggregate && aggregate.InnerExceptions.Count > 0)
    {
        (int Code, string Message)?[] parts = aggregate.InnerExceptions.Select(StartupFailure).ToArray();
        if (parts.All(p => p is not null))
        {
            return (parts[0]!.Value.Code, string.Join("; ", parts.Select(p => p!.Value.Message)));
        }

        return null;
    }

    return ex switch
    {
        OptionsValidationException validation => (ServiceExitCode.Configuration, string.Join("; ", validation.Failures)),
        ModelLoadException model => (ServiceExitCode.Model, model.Message),
        AudioSourceException audio => (ServiceExitCode.Audio, audio.Message),

        // A settings file that is missing or not JSON ("Failed to load configuration from file ..." + the parser's reason).
        InvalidDataException data => (ServiceExitCode.Configuration, DescribeSettingsFileError(data)),
        InvalidSettingsException settings => (ServiceExitCode.Configuration, settings.Message),
        EventPipeException pipe => (ServiceExitCode.Configuration, pipe.Message),
        _ => null,
    };
}

// "Failed to load configuration from file ...: Could not parse the JSON file" + where: the parser's line and position.
static string DescribeSettingsFileError(InvalidDataException data)
{
    string message = data.InnerException is null ? data.Message : $"{data.Message.TrimEnd('.')}: {data.InnerException.Message.TrimEnd('.')}";
    for (Exception? inner = data.InnerException; inner is not null; inner = inner.InnerException)
    {
        if (inner is System.Text.Json.JsonException json)
        {
            return $"{message} ({SettingsFiles.Describe(json)})";
        }
    }

    return message;
}

// Serilog's file sink resolves relative paths against the current directory; make them relative to the binary's folder.
static void AnchorLogPaths(IConfigurationManager configuration)
{
    foreach (IConfigurationSection sink in configuration.GetSection("Serilog:WriteTo").GetChildren())
    {
        IConfigurationSection path = sink.GetSection("Args:path");
        if (!string.IsNullOrWhiteSpace(path.Value) && !Path.IsPathRooted(path.Value))
        {
            path.Value = Path.Combine(AppContext.BaseDirectory, path.Value);
        }
    }
}
