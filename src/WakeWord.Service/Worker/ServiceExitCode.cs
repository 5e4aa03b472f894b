namespace WakeWord.Service.Worker;

/// <summary>
/// The process exit code, set by whoever stops the host for a reason (README.md lists them): 0 normal stop or end of
/// input with Audio:ExitAtEnd, 1 unexpected, 2 invalid configuration, 3 audio source error, 4 model error.
/// </summary>
public sealed class ServiceExitCode
{
    public const int Ok = 0;
    public const int Unexpected = 1;
    public const int Configuration = 2;
    public const int Audio = 3;
    public const int Model = 4;

    private int _value;

    public int Value => Volatile.Read(ref _value);

    public void Set(int code) => Volatile.Write(ref _value, code);
}
