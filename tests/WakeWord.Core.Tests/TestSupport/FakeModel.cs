using WakeWord.Core.FrontEnds;
using WakeWord.Core.Scoring;

namespace WakeWord.Core.Tests.TestSupport;

/// <summary>
/// A model without ONNX: each step's probability is the mean of its <c>rowsPerStep</c> rows, so a test controls the
/// scores through the audio it feeds (a constant 0.9 scores 0.9). Rows that do not complete a step wait.
/// </summary>
internal sealed class FakeModel(string id, IFrontEnd frontEnd, int rowsPerStep = 1) : IWakeWordModel
{
    public ModelInfo Info { get; } = new(id, id, "/fake/" + id + ".onnx", "0", frontEnd.Spec, rowsPerStep, 0.5f, 1, 0.0, new Dictionary<string, string>());

    public IFrontEnd FrontEnd => frontEnd;

    public List<Scorer> Scorers { get; } = [];

    public bool Disposed { get; private set; }

    public IWakeWordScorer CreateScorer()
    {
        var scorer = new Scorer(Info);
        Scorers.Add(scorer);
        return scorer;
    }

    public void Dispose() => Disposed = true;

    internal sealed class Scorer(ModelInfo info) : IWakeWordScorer
    {
        private readonly List<float> _pending = [];

        public ModelInfo Info => info;

        public bool Disposed { get; private set; }

        public int StepsFor(int rowCount) => (_pending.Count + rowCount) / info.RowsPerStep;

        public int Score(ReadOnlySpan<float> rows, Span<float> probabilities)
        {
            int written = 0;
            foreach (float row in rows)
            {
                _pending.Add(row);
                if (_pending.Count == info.RowsPerStep)
                {
                    probabilities[written++] = _pending.Average();
                    _pending.Clear();
                }
            }

            return written;
        }

        public void Reset() => _pending.Clear();

        public void Dispose() => Disposed = true;
    }
}
