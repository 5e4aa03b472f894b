using System.CommandLine;
using WakeWord.Audio.Capture;
using WakeWord.Cli.Parsing;

namespace WakeWord.Cli.Commands;

/// <summary>`wakeword devices`: the capture devices of a backend, one name per line, spelled as Audio:Device takes them.</summary>
public static class DevicesCommand
{
    public static Command Create()
    {
        Option<string> backend = ValueOptions.Choice("--backend", MicrophoneSourceFactory.Backends, "auto", "-b");
        backend.Description = "Capture backend: auto (wasapi on Windows, alsa on Linux), alsa, pulse (PulseAudio/PipeWire) or wasapi.";
        backend.HelpName = "backend";
        var command = new Command(
            "devices",
            "List capture devices of a backend, one per line, as the Audio:Device setting takes them. Exit code 3 when the backend cannot be asked.")
        {
            backend,
        };
        command.SetAction(parse => CommandGuard.Run(() => List(parse.GetValue(backend) ?? "auto", Console.Out, Console.Error)));
        return command;
    }

    public static int List(string backend, TextWriter stdout, TextWriter stderr)
    {
        string resolved;
        IReadOnlyList<string> devices;
        try
        {
            resolved = MicrophoneSourceFactory.ResolveBackend(backend);
            devices = MicrophoneSourceFactory.ListDevices(resolved);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        foreach (string device in devices)
        {
            stdout.WriteLine(device);
        }

        stdout.Flush();
        if (devices.Count == 0)
        {
            // stderr, so that scripts reading stdout see an empty list, while a person sees why.
            stderr.WriteLine($"wakeword: no {resolved} capture devices found");
        }

        return ExitCodes.Ok;
    }
}
