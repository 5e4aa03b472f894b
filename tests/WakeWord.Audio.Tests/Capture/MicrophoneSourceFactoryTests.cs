using WakeWord.Audio.Capture;
using WakeWord.Audio.Capture.Pulse;

namespace WakeWord.Audio.Tests.Capture;

public sealed class MicrophoneSourceFactoryTests
{
    [Theory]
    [InlineData("oss")]
    [InlineData("")]
    public void Unknown_backend_is_refused_naming_it(string backend)
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => MicrophoneSourceFactory.Create(backend, "default", 20, new ListLogger()));
        Assert.Contains($"'{backend}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("auto, alsa, pulse, wasapi", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backend_of_another_platform_is_refused_with_the_alternative()
    {
        string other = OperatingSystem.IsWindows() ? "alsa" : "wasapi";
        ArgumentException ex = Assert.Throws<ArgumentException>(() => MicrophoneSourceFactory.Create(other, "", 20, new ListLogger()));
        Assert.Contains(other, ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => MicrophoneSourceFactory.ListDevices(other));
    }

    [Fact]
    public void Auto_picks_the_platform_default()
    {
        string expected = OperatingSystem.IsWindows() ? "wasapi" : "alsa";
        Assert.Equal(expected, MicrophoneSourceFactory.ResolveBackend("auto"));
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal("pulse", MicrophoneSourceFactory.ResolveBackend(" Pulse "));
        }
    }

    [Fact]
    public void Bad_chunk_size_is_refused_naming_the_value()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => MicrophoneSourceFactory.Create("auto", "", 2000, new ListLogger()));
        Assert.Contains("2000 ms", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4000)]
    [InlineData(96000)]
    public void Sample_rate_outside_8_to_48_khz_is_refused_naming_it(int rate)
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => MicrophoneSourceFactory.Create("auto", "", 20, new ListLogger(), rate));
        Assert.Contains($"Capture sample rate must be 8000 to 48000 Hz, got {rate} Hz", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pactl_listing_is_parsed_to_source_names()
    {
        const string Output = "0\talsa_output.pci.monitor\tmodule-alsa-card.c\ts16le 2ch 44100Hz\tSUSPENDED\n1\tmic one\tmodule-remap-source.c\ts16le 1ch 16000Hz\tRUNNING\n\n";
        Assert.Equal(["alsa_output.pci.monitor", "mic one"], PulseDeviceList.Parse(Output));
    }
}
