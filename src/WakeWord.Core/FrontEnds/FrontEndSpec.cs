namespace WakeWord.Core.FrontEnds;

/// <summary>
/// What a model names as its front end: the kind, what makes two of that kind the same (the parameters, or a hash of
/// the weights), and the rows it gives. Row r of a stream is complete once sample
/// <c>FirstRowSamples + r * RowSamples</c> has arrived. Models whose specs are equal share one front-end stream.
/// </summary>
/// <param name="Kind">The front end's kind (<c>logmel</c>, <c>speech_embedding</c>).</param>
/// <param name="Identity">Parameters or weights hash: equal kinds with different identities are different front ends.</param>
/// <param name="SampleRate">Audio rate the front end reads.</param>
/// <param name="RowSamples">Samples between one row and the next (a log-mel hop, an embedding step).</param>
/// <param name="FirstRowSamples">Samples the first row needs.</param>
/// <param name="Width">Floats per row.</param>
public sealed record FrontEndSpec(string Kind, string Identity, int SampleRate, int RowSamples, int FirstRowSamples, int Width)
{
    public override string ToString() => $"{Kind} ({Identity}; {SampleRate} Hz, a row of {Width} every {RowSamples} samples)";
}
