namespace WakeWord.Audio.Capture;

/// <summary>Why a capture device failed; the wrapper retries all of them, the kind only shapes the message.</summary>
public enum CaptureFault
{
    /// <summary>No device (or sound server) by that name.</summary>
    NotFound,

    /// <summary>Another program holds the device exclusively.</summary>
    Busy,

    /// <summary>The device went away while running (unplugged, sound server stopped, no audio any more).</summary>
    Lost,

    /// <summary>The device refused the format or another setup step.</summary>
    Failed,
}
