namespace WakeWord.Audio.Capture;

/// <summary>A capture device fault with a message naming the device and the problem.</summary>
public sealed class CaptureDeviceException : Exception
{
    public CaptureDeviceException(CaptureFault fault, string message) : base(message) => Fault = fault;

    public CaptureDeviceException(CaptureFault fault, string message, Exception inner) : base(message, inner) => Fault = fault;

    public CaptureFault Fault { get; }
}
