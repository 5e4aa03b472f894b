using Microsoft.ML.OnnxRuntime;

namespace WakeWord.Onnx.Streaming;

/// <summary>
/// One stream's state over a shared streaming graph: an input that grows by whole units (steps) along its time axis,
/// an output likewise, and state tensors that go in as <c>name</c> and come back as their paired output. Every graph of
/// this project (log-mel GRU, front end, head) runs through this one class.
/// </summary>
/// <remarks>
/// Steady state allocates nothing: every tensor is an <see cref="OrtValue"/> over a managed array made once, and each run
/// goes through an <see cref="OrtIoBinding"/> made once (Run with OrtValue lists allocated 418 bytes per call with ONNX
/// Runtime 1.31.1). The state lives in two sets of buffers, A and B; one binding reads A and writes B, its twin reads B
/// and writes A, so the state is handed over by switching bindings, without a copy. Bindings are made per number of
/// units k on first use, so a stream fed in same-sized chunks allocates only in its first call. The session is only
/// read, so any number of these may run on one session at once (ONNX Runtime's Run is thread-safe).
/// </remarks>
internal sealed class StreamingSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly Port _input;
    private readonly Port _output;
    private readonly StateTensor[] _states;
    private readonly UnitRun?[] _runs;
    private bool _stateInB;
    private bool _disposed;

    public StreamingSession(InferenceSession session, Port input, Port output, IReadOnlyList<StateSpec> states, int maxUnitsPerRun)
    {
        _session = session;
        _input = input;
        _output = output;
        _states = [.. states.Select(s => new StateTensor(s))];
        _runs = new UnitRun?[maxUnitsPerRun + 1];
        MaxUnitsPerRun = maxUnitsPerRun;
    }

    public int MaxUnitsPerRun { get; }

    /// <summary>The input buffer of a run of <paramref name="units"/> units (fill it, then <see cref="Run"/>).</summary>
    public Span<float> Input(int units) => RunFor(units).Input;

    /// <summary>Runs <paramref name="units"/> units from the filled input and returns their output; the state moves on.</summary>
    public ReadOnlySpan<float> Run(int units)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        UnitRun run = RunFor(units);
        _session.RunWithBinding(RunOptionsHolder.Shared, _stateInB ? run.FromB : run.FromA);
        _stateInB = !_stateInB;
        return run.Output;
    }

    /// <summary>Back to the start-of-stream state: zeros.</summary>
    public void Reset()
    {
        foreach (StateTensor s in _states)
        {
            Array.Clear(s.A);
            Array.Clear(s.B);
        }

        _stateInB = false;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (UnitRun? run in _runs)
        {
            run?.Dispose();
        }

        foreach (StateTensor s in _states)
        {
            s.Dispose();
        }
    }

    private UnitRun RunFor(int units)
    {
        if (units < 1 || units > MaxUnitsPerRun)
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, $"A run takes 1 to {MaxUnitsPerRun} units.");
        }

        return _runs[units] ??= new UnitRun(this, units);
    }

    /// <summary>A streaming input or output: its name, floats per unit, and its shape for k units.</summary>
    public sealed record Port(string Name, int FloatsPerUnit, Func<int, long[]> Shape);

    /// <summary>A state tensor: read from <paramref name="Input"/>, written to <paramref name="Output"/>, fixed shape.</summary>
    public sealed record StateSpec(string Input, string Output, long[] Shape);

    private static class RunOptionsHolder
    {
        // RunOptions carries no per-run data here (no tags, no terminate flag), so one instance serves every session.
        public static readonly RunOptions Shared = new();
    }

    private sealed class StateTensor : IDisposable
    {
        public StateTensor(StateSpec spec)
        {
            Spec = spec;
            long size = spec.Shape.Aggregate(1L, (a, b) => a * b);
            A = new float[size];
            B = new float[size];
            AValue = OrtValue.CreateTensorValueFromMemory(A, spec.Shape);
            BValue = OrtValue.CreateTensorValueFromMemory(B, spec.Shape);
        }

        public StateSpec Spec { get; }

        public float[] A { get; }

        public float[] B { get; }

        public OrtValue AValue { get; }

        public OrtValue BValue { get; }

        public void Dispose()
        {
            AValue.Dispose();
            BValue.Dispose();
        }
    }

    /// <summary>The tensors and the two bindings for a run of k units.</summary>
    private sealed class UnitRun : IDisposable
    {
        private readonly OrtValue _inputValue;
        private readonly OrtValue _outputValue;

        public UnitRun(StreamingSession owner, int units)
        {
            Input = new float[units * owner._input.FloatsPerUnit];
            Output = new float[units * owner._output.FloatsPerUnit];
            _inputValue = OrtValue.CreateTensorValueFromMemory(Input, owner._input.Shape(units));
            _outputValue = OrtValue.CreateTensorValueFromMemory(Output, owner._output.Shape(units));
            FromA = Bind(owner, fromA: true);
            FromB = Bind(owner, fromA: false);
        }

        public float[] Input { get; }

        public float[] Output { get; }

        /// <summary>Reads the state from A and writes it to B.</summary>
        public OrtIoBinding FromA { get; }

        /// <summary>Reads the state from B and writes it to A.</summary>
        public OrtIoBinding FromB { get; }

        public void Dispose()
        {
            FromA.Dispose();
            FromB.Dispose();
            _inputValue.Dispose();
            _outputValue.Dispose();
        }

        private OrtIoBinding Bind(StreamingSession owner, bool fromA)
        {
            OrtIoBinding binding = owner._session.CreateIoBinding();
            binding.BindInput(owner._input.Name, _inputValue);
            binding.BindOutput(owner._output.Name, _outputValue);
            foreach (StateTensor s in owner._states)
            {
                binding.BindInput(s.Spec.Input, fromA ? s.AValue : s.BValue);
                binding.BindOutput(s.Spec.Output, fromA ? s.BValue : s.AValue);
            }

            return binding;
        }
    }
}
