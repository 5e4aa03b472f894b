using WakeWord.Tests.Shared;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real `wakeword` and service binaries, published once per test run into a temporary folder with
/// `dotnet publish` (no rebuild when the test build already built them, which `dotnet test` from the root does).
/// Shared by every end-to-end test class (the CLI, the service, the event pipe).
/// </summary>
public sealed class PublishedApps
{
    private static readonly Lazy<Task<PublishedApps>> Instance = new(PublishAsync);

    private PublishedApps(string cliDirectory, string serviceDirectory)
    {
        CliDirectory = cliDirectory;
        ServiceDirectory = serviceDirectory;
    }

    public string CliDirectory { get; }

    public string ServiceDirectory { get; }

    public string CliDll => Path.Combine(CliDirectory, "wakeword.dll");

    public string ServiceDll => Path.Combine(ServiceDirectory, "wakeword-service.dll");

    public static Task<PublishedApps> GetAsync() => Instance.Value;

    public Task<ProcessResult> RunCliAsync(params string[] arguments) => RunCliWithInputAsync(null, arguments);

    public Task<ProcessResult> RunCliWithInputAsync(byte[]? stdin, params string[] arguments) =>
        ProcessRunner.RunAsync(ProcessRunner.DotnetHost, [CliDll, .. arguments], stdin);

    /// <summary>Runs the service to its end (it must stop by itself: bad settings, or Audio:ExitAtEnd=true).</summary>
    public Task<ProcessResult> RunServiceAsync(IDictionary<string, string>? environment, byte[]? stdin, params string[] arguments) =>
        ProcessRunner.RunAsync(ProcessRunner.DotnetHost, [ServiceDll, .. arguments], stdin, environment, TimeSpan.FromMinutes(1));

    /// <summary>
    /// Starts the service and lets the test watch its log lines. It starts with SIGINT and SIGQUIT at their default
    /// action, as a service manager starts it: a test run launched in the background by a shell without job control
    /// (`cmd &amp;` in a script, as CI runners and load scripts do) inherits both as ignored, the runtime rightly keeps an
    /// inherited SIG_IGN, and a SIGINT test would then measure the test runner's launch instead of the service.
    /// env(1) execs the service in its place, so the process id and its signals stay the service's.
    /// </summary>
    public ServiceProcess StartService(IDictionary<string, string>? environment, params string[] arguments) =>
        ServiceProcess.Start(ProcessRunner.StartInfo("env", [DefaultSignals, ProcessRunner.DotnetHost, ServiceDll, .. arguments], environment));

    private const string DefaultSignals = "--default-signal=INT,QUIT";

    /// <summary>
    /// Starts the service so that file permissions bind as they do for the service's own user: as root (CI), under
    /// setpriv without the capabilities that let root write anywhere (the process stays root, so it can still read
    /// this folder's files and signals reach it as before: setpriv execs the service in its place).
    /// </summary>
    public ServiceProcess StartServiceBoundByPermissions(IDictionary<string, string>? environment, params string[] arguments) =>
        Environment.IsPrivilegedProcess
            ? ServiceProcess.Start(ProcessRunner.StartInfo("setpriv",
                ["--bounding-set=-dac_override,-dac_read_search,-fowner", "env", DefaultSignals, ProcessRunner.DotnetHost, ServiceDll, .. arguments], environment))
            : StartService(environment, arguments);

    private static async Task<PublishedApps> PublishAsync()
    {
        // The test assembly sits in bin/<Configuration>/<tfm>/: publish the apps in the same configuration.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";
        StaleRunFolders.DeleteDead(Path.GetTempPath());
        string root = RunLeftovers.CreateFolderOfThisProcess(StaleRunFolders.NewFolder(Path.GetTempPath()));
        string cli = Path.Combine(root, "cli");
        string service = Path.Combine(root, "service");
        await PublishAsync(Path.Combine(RepoPaths.Root, "src", "WakeWord.Cli", "WakeWord.Cli.csproj"), configuration, cli);
        await PublishAsync(Path.Combine(RepoPaths.Root, "src", "WakeWord.Service", "WakeWord.Service.csproj"), configuration, service);
        return new PublishedApps(cli, service);
    }

    private static async Task PublishAsync(string project, string configuration, string output)
    {
        string[] common = ["publish", project, "-c", configuration, "-o", output, "--nologo", "-v", "q"];
        ProcessResult result = await ProcessRunner.RunAsync(ProcessRunner.DotnetHost, [.. common, "--no-build"], timeout: TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
        {
            // Not built in this configuration yet (a test run from an IDE, say): build while publishing.
            result = await ProcessRunner.RunAsync(ProcessRunner.DotnetHost, common, timeout: TimeSpan.FromMinutes(10));
        }

        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish {project} failed:\n{result}");
        }
    }
}
