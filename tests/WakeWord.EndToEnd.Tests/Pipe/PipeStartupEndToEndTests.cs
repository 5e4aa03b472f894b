using WakeWord.EndToEnd.Tests.Infrastructure;
using WakeWord.EndToEnd.Tests.Service;

namespace WakeWord.EndToEnd.Tests.Pipe;

/// <summary>The published service refuses bad Events settings and a socket another service holds: exit 2, one clear line.</summary>
public sealed class PipeStartupEndToEndTests : IDisposable
{
    private readonly ServiceScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("--Events:QueueCapacity=0", "Events:QueueCapacity must be between 4 and 100000")]
    [InlineData("--Events:HeartbeatSeconds=0", "Events:HeartbeatSeconds must be between 0.05 and 3600, got 0")]
    [InlineData("--Events:Group=no-such-group-ww", "Events:Group 'no-such-group-ww' is not a group on this machine")]
    public async Task Bad_events_setting_exits_2_naming_it(string setting, string message)
    {
        if (OperatingSystem.IsWindows() && setting.Contains("Group", StringComparison.Ordinal))
        {
            return; // Windows groups are resolved when the pipe is created.
        }

        PublishedApps apps = await PublishedApps.GetAsync();
        ProcessResult result = await apps.RunServiceAsync(null, null, _scratch.Arguments(ServiceScratch.TinyModel("--Audio:Source=stdin", setting)));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stdout + result.Stderr);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task Second_service_on_the_same_socket_exits_2_and_the_first_keeps_serving()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string[] arguments = _scratch.Arguments(ServiceScratch.TinyModel("--Audio:Source=stdin"));
        await using ServiceProcess first = apps.StartService(null, arguments);
        await first.WaitForLineAsync("Serving wake events on");

        ProcessResult second = await apps.RunServiceAsync(null, null, arguments);

        Assert.True(second.ExitCode == 2, second.ToString());
        Assert.Contains("Another process is already serving wake events on", second.Stdout + second.Stderr);
        Assert.DoesNotContain("   at ", second.Stdout + second.Stderr);
        await using var client = new WakeWord.Client.WakeWordClient(new WakeWord.Client.WakeWordClientOptions
        {
            PipeName = Path.Combine(_scratch.Folder, "ev.sock"),
        });
        await client.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["computer"], client.Hello!.Words);
    }
}
