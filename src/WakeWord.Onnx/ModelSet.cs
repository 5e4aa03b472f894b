using System.Collections;
using WakeWord.Core.Scoring;

namespace WakeWord.Onnx;

/// <summary>
/// Models loaded together (<see cref="OnnxModelLoader.LoadAll"/>): each front end is loaded once and shared by every
/// model that names it. Disposing the set disposes the models, then the front ends.
/// </summary>
public sealed class ModelSet : IReadOnlyList<IWakeWordModel>, IDisposable
{
    private readonly IWakeWordModel[] _models;
    private readonly IDisposable[] _frontEnds;
    private bool _disposed;

    internal ModelSet(IWakeWordModel[] models, IDisposable[] frontEnds)
    {
        _models = models;
        _frontEnds = frontEnds;
    }

    public int Count => _models.Length;

    /// <summary>Front ends loaded for this set (models that share one count once).</summary>
    public int FrontEndsLoaded => _frontEnds.Length;

    public IWakeWordModel this[int index] => _models[index];

    public IEnumerator<IWakeWordModel> GetEnumerator() => ((IEnumerable<IWakeWordModel>)_models).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (IWakeWordModel model in _models)
        {
            model.Dispose();
        }

        foreach (IDisposable frontEnd in _frontEnds)
        {
            frontEnd.Dispose();
        }
    }
}
