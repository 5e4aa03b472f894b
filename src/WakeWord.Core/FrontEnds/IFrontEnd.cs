namespace WakeWord.Core.FrontEnds;

/// <summary>
/// A loaded front end, shared by every model that names it and by every stream: it holds what does not change
/// (weights, filters). Each audio stream gets its own <see cref="IFrontEndStream"/>. Thread-safe.
/// </summary>
public interface IFrontEnd
{
    FrontEndSpec Spec { get; }

    /// <summary>A new stream's state, at the start of a stream. The front end must outlive it.</summary>
    IFrontEndStream CreateStream();
}
