namespace WakeWord.Core.FrontEnds;

/// <summary>One audio stream through a front end: samples in, whole rows out, state carried between calls. Not thread-safe.</summary>
public interface IFrontEndStream : IDisposable
{
    FrontEndSpec Spec { get; }

    /// <summary>How many rows the next <see cref="Process"/> call writes for <paramref name="sampleCount"/> new samples.</summary>
    int RowsFor(int sampleCount);

    /// <summary>
    /// Consumes any number of samples and writes every row they complete, row-major, <see cref="FrontEndSpec.Width"/>
    /// floats each; returns the rows written. <paramref name="rows"/> must have room for <see cref="RowsFor"/> rows.
    /// </summary>
    int Process(ReadOnlySpan<float> samples, Span<float> rows);

    /// <summary>Back to the start of a stream.</summary>
    void Reset();
}
