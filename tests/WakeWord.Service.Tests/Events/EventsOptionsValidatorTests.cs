using System.Reflection;
using Microsoft.Extensions.Options;
using WakeWord.Service.Events;

namespace WakeWord.Service.Tests.Events;

public sealed class EventsOptionsValidatorTests
{
    private static readonly EventsOptionsValidator Validator = new();

    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(Validator.Validate(null, new EventsOptions()).Succeeded);
    }

    [Theory]
    [InlineData(nameof(EventsOptions.HeartbeatSeconds), "Events:HeartbeatSeconds", "0")]
    [InlineData(nameof(EventsOptions.QueueCapacity), "Events:QueueCapacity", "0")]
    [InlineData(nameof(EventsOptions.MaxLineBytes), "Events:MaxLineBytes", "10")]
    [InlineData(nameof(EventsOptions.WriteTimeoutSeconds), "Events:WriteTimeoutSeconds", "-1")]
    [InlineData(nameof(EventsOptions.MaxClients), "Events:MaxClients", "0")]
    public void Out_of_range_values_are_named(string property, string key, string value)
    {
        var options = new EventsOptions();
        PropertyInfo info = typeof(EventsOptions).GetProperty(property)!;
        info.SetValue(options, Convert.ChangeType(value, info.PropertyType, System.Globalization.CultureInfo.InvariantCulture));
        ValidateOptionsResult result = Validator.Validate(null, options);
        Assert.True(result.Failed);
        string message = Assert.Single(result.Failures!);
        Assert.Contains(key, message);
        Assert.Contains(value, message);
    }

    [Fact]
    public void Unknown_group_is_named()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows groups are resolved when the pipe is created.
        }

        ValidateOptionsResult result = Validator.Validate(null, new EventsOptions { Group = "no-such-group-ww" });
        Assert.Contains("Events:Group 'no-such-group-ww'", Assert.Single(result.Failures!));
        Assert.True(Validator.Validate(null, new EventsOptions { Group = "root" }).Succeeded);
    }

    [Fact]
    public void Socket_path_that_is_too_long_or_a_directory_is_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string tooLong = "/tmp/" + new string('a', 120) + ".sock";
        Assert.Contains("107 bytes", Assert.Single(Validator.Validate(null, new EventsOptions { PipeName = tooLong }).Failures!));
        Assert.Contains("is a directory", Assert.Single(Validator.Validate(null, new EventsOptions { PipeName = Path.GetTempPath() }).Failures!));
    }

    [Fact]
    public void Disabled_pipe_is_not_checked()
    {
        Assert.True(Validator.Validate(null, new EventsOptions { Enabled = false, MaxClients = 0 }).Succeeded);
    }
}
