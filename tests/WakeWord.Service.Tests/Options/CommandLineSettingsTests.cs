using WakeWord.Service.Options;

namespace WakeWord.Service.Tests.Options;

public sealed class CommandLineSettingsTests
{
    [Theory]
    [InlineData("--Audio:Source=stdin")]
    [InlineData("--Audio:Source", "stdin")]
    [InlineData("/Models:Active:0:Threshold=0.7")]
    [InlineData("Events:PipeName=/tmp/x.sock")]
    [InlineData("--environment", "Development")]
    [InlineData("--serilog:minimumlevel:default=Debug")]
    public void SettingsTheHostReadsAreAccepted(params string[] args)
    {
        Assert.Empty(CommandLineSettings.Problems(args));
    }

    [Theory]
    [InlineData("'--frobnicate' on the command line is not a setting", "--frobnicate", "--Events:PipeName=/tmp/x.sock")]
    [InlineData("'--verbose=1' on the command line is not a setting", "--verbose=1")]
    [InlineData("'-v' on the command line is not a setting", "-v")]
    [InlineData("'--Audio:Source' on the command line has no value", "--Audio:Source", "--Events:PipeName=/tmp/x.sock")]
    [InlineData("'--Audio:Source' on the command line has no value", "--Audio:Source")]
    public void UnknownOrValuelessOptionsAreNamed(string message, params string[] args)
    {
        Assert.Contains(message, Assert.Single(CommandLineSettings.Problems(args)));
    }
}
