using System.ComponentModel;
using System.Diagnostics;

namespace WakeWord.Audio.Capture.Pulse;

/// <summary>PulseAudio source names, from <c>pactl list short sources</c> (pulseaudio-utils; PipeWire ships a compatible pactl).</summary>
public static class PulseDeviceList
{
    public static IReadOnlyList<string> List()
    {
        var psi = new ProcessStartInfo("pactl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("list");
        psi.ArgumentList.Add("short");
        psi.ArgumentList.Add("sources");
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new CaptureDeviceException(CaptureFault.Failed, "cannot start pactl.");
        }
        catch (Win32Exception ex)
        {
            throw new CaptureDeviceException(CaptureFault.Failed, "pactl is not installed (Debian/Ubuntu: apt-get install pulseaudio-utils).", ex);
        }

        using (process)
        {
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(10_000))
            {
                process.Kill();
                throw new CaptureDeviceException(CaptureFault.Failed, "pactl did not answer within 10 s.");
            }

            if (process.ExitCode != 0)
            {
                throw new CaptureDeviceException(CaptureFault.NotFound, $"cannot list PulseAudio sources: {stderr.Result.Trim()}");
            }

            return Parse(stdout);
        }
    }

    /// <summary>The name column of <c>pactl list short sources</c> ("index\tname\tdriver\tformat\tstate" lines).</summary>
    public static IReadOnlyList<string> Parse(string pactlOutput)
    {
        var names = new List<string>();
        foreach (string line in pactlOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] columns = line.Split('\t');
            if (columns.Length >= 2 && columns[1].Length > 0)
            {
                names.Add(columns[1]);
            }
        }

        return names;
    }
}
