using WakeWord.Core.FrontEnds;

namespace WakeWord.Core.Tests.TestSupport;

/// <summary>
/// A front end without ONNX: one row per <c>rowSamples</c> samples (the first after <c>firstRowSamples</c>), each row
/// one value, the mean of the samples since the previous row. Counts the streams it made and their resets.
/// </summary>
internal sealed class FakeFrontEnd(string identity, int rowSamples, int firstRowSamples, int sampleRate = 16000) : IFrontEnd
{
    public FrontEndSpec Spec { get; } = new("fake", identity, sampleRate, rowSamples, firstRowSamples, 1);

    public List<Stream> Streams { get; } = [];

    public IFrontEndStream CreateStream()
    {
        var stream = new Stream(Spec);
        Streams.Add(stream);
        return stream;
    }

    internal sealed class Stream(FrontEndSpec spec) : IFrontEndStream
    {
        private long _samples;
        private double _sum;
        private int _count;

        public FrontEndSpec Spec => spec;

        public int Resets { get; private set; }

        public bool Disposed { get; private set; }

        public int RowsFor(int sampleCount) => (int)(RowsBy(_samples + sampleCount) - RowsBy(_samples));

        public int Process(ReadOnlySpan<float> samples, Span<float> rows)
        {
            int written = 0;
            foreach (float s in samples)
            {
                _sum += s;
                _count++;
                _samples++;
                if (RowsBy(_samples) > RowsBy(_samples - 1))
                {
                    rows[written++] = (float)(_sum / _count);
                    _sum = 0;
                    _count = 0;
                }
            }

            return written;
        }

        public void Reset()
        {
            _samples = 0;
            _sum = 0;
            _count = 0;
            Resets++;
        }

        public void Dispose() => Disposed = true;

        private long RowsBy(long samples) => samples < spec.FirstRowSamples ? 0 : (samples - spec.FirstRowSamples) / spec.RowSamples + 1;
    }
}
