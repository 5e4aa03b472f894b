namespace WakeWord.Client.Tests;

public sealed class PipeLocationsTests
{
    [Fact]
    public void Configured_path_wins()
    {
        Assert.Equal("/x/y.sock", PipeLocations.ResolveForClient("/x/y.sock"));
    }

    [Fact]
    public void Service_default_follows_xdg_runtime_dir()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Equal(PipeLocations.WindowsPipeName, PipeLocations.ServiceDefault());
            return;
        }

        string? saved = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        string? savedUnit = Environment.GetEnvironmentVariable("RUNTIME_DIRECTORY");
        try
        {
            Environment.SetEnvironmentVariable("XDG_RUNTIME_DIR", "/run/user/4242");
            Environment.SetEnvironmentVariable("RUNTIME_DIRECTORY", "/run/wakeword");
            Assert.Equal("/run/user/4242/wakeword.sock", PipeLocations.ServiceDefault());
            Assert.Equal("/run/user/4242/wakeword.sock", PipeLocations.ClientCandidates()[0]);

            // The shipped system unit: RuntimeDirectory=wakeword, no XDG_RUNTIME_DIR, its own user (not root).
            Environment.SetEnvironmentVariable("XDG_RUNTIME_DIR", null);
            Environment.SetEnvironmentVariable("RUNTIME_DIRECTORY", "/run/wakeword:/run/other");
            Assert.Equal(PipeLocations.SystemSocketPath, PipeLocations.ServiceDefault());

            Environment.SetEnvironmentVariable("RUNTIME_DIRECTORY", null);
            string expected = Environment.IsPrivilegedProcess ? PipeLocations.SystemSocketPath : PipeLocations.ClientCandidates()[^1];
            Assert.Equal(expected, PipeLocations.ServiceDefault());
            Assert.True(Path.IsPathRooted(PipeLocations.ServiceDefault()));
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_RUNTIME_DIR", saved);
            Environment.SetEnvironmentVariable("RUNTIME_DIRECTORY", savedUnit);
        }
    }
}
