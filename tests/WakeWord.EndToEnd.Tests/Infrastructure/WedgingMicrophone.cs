using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A capture device that wedges mid-stream, as a hung driver does: ALSA's file plugin over the null device, named
/// <see cref="DeviceName"/> in an .asoundrc under a private HOME, takes its audio from a FIFO that this class feeds at
/// real-time pace. Once the feeding stops, the service's snd_pcm_readi blocks in read(2) for good although poll said
/// the device was ready: no stall timeout sees that, only the watchdog does. Everything lives in the given folder;
/// the FIFO is held open read-write here, so the device opens at once and never reads end-of-file.
/// </summary>
public sealed class WedgingMicrophone : IDisposable
{
    public const string DeviceName = "wakeword_wedge";
    private const int FionRead = 0x541B;           // ioctl: bytes waiting in a pipe
    private const int BytesPerTick = 16000 * 2 / 10; // 100 ms of 16 kHz 16-bit mono
    private readonly string _fifo;
    private readonly SafeFileHandle _handle;
    private readonly FileStream _stream;
    private CancellationTokenSource? _feeding;
    private Task _feeder = Task.CompletedTask;

    public WedgingMicrophone(string folder)
    {
        string home = Path.Combine(folder, "home");
        Directory.CreateDirectory(home);
        _fifo = Path.Combine(folder, "microphone.fifo");
        ProcessResult mkfifo = ProcessRunner.RunAsync("mkfifo", [_fifo]).GetAwaiter().GetResult();
        if (mkfifo.ExitCode != 0)
        {
            throw new InvalidOperationException("mkfifo failed: " + mkfifo);
        }

        File.WriteAllText(Path.Combine(home, ".asoundrc"), $$"""
            pcm.{{DeviceName}} {
                type file
                slave.pcm "null"
                file "/dev/null"
                infile "{{_fifo}}"
                format "raw"
            }

            """);
        Home = home;
        _handle = File.OpenHandle(_fifo, FileMode.Open, FileAccess.ReadWrite);
        _stream = new FileStream(_handle, FileAccess.ReadWrite, bufferSize: 0);
    }

    /// <summary>Why this machine cannot run it (not Linux, no libasound, no mkfifo), or null when it can.</summary>
    public static string? WhyNot { get; } =
        !OperatingSystem.IsLinux() ? "Linux only: an ALSA device over a FIFO."
        : !NativeLibrary.TryLoad("libasound.so.2", out _) ? "libasound2 is not installed: apt-get install libasound2"
        : null;

    /// <summary>The HOME whose .asoundrc defines the device: put it in the service's environment.</summary>
    public string Home { get; }

    /// <summary>Feeds silence at real-time pace until <see cref="WedgeAsync"/>; never more than a second ahead of the
    /// reader, so a write never blocks (a pipe holds 64 KiB, 2 s of this audio).</summary>
    public void Feed()
    {
        _feeding = new CancellationTokenSource();
        CancellationToken token = _feeding.Token;
        _feeder = Task.Run(async () =>
        {
            byte[] silence = new byte[BytesPerTick];
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                if (Waiting() < 16000 * 2)
                {
                    _stream.Write(silence);
                }
            }
        }, token);
    }

    /// <summary>Stops feeding: the device's next read blocks for good.</summary>
    public async Task WedgeAsync()
    {
        _feeding?.Cancel();
        try
        {
            await _feeder.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped, as asked.
        }
    }

    public void Dispose()
    {
        WedgeAsync().GetAwaiter().GetResult();
        _feeding?.Dispose();
        _stream.Dispose();
    }

    private int Waiting() => ioctl(_handle, FionRead, out int bytes) == 0 ? bytes : 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int ioctl(SafeFileHandle fd, int request, out int value);
}
