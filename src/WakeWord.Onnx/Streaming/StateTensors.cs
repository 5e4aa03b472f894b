using Microsoft.ML.OnnxRuntime;

namespace WakeWord.Onnx.Streaming;

/// <summary>
/// The state convention of the project's streaming graphs (front ends and heads): every input but the streaming one is a
/// state <c>state_NN</c> of fixed shape that comes back as the output <c>state_NN_out</c>, zeros at a stream's start.
/// </summary>
internal static class StateTensors
{
    public const string Prefix = "state_";
    public const string OutputSuffix = "_out";

    /// <summary>A graph's states; a state's size counts against <paramref name="maxFloats"/> (buffers are made from it).</summary>
    /// <exception cref="ModelLoadException">An input that is neither the streaming one nor a fixed-shape state.</exception>
    public static List<StreamingSession.StateSpec> Discover(string path, InferenceSession session, string streamingInput, long maxFloats)
    {
        var states = new List<StreamingSession.StateSpec>();
        long floats = 0;
        foreach ((string name, NodeMetadata node) in session.InputMetadata)
        {
            if (name == streamingInput)
            {
                continue;
            }

            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || node.Dimensions.Length == 0 || node.Dimensions.Any(d => d <= 0))
            {
                throw new ModelLoadException($"Model '{path}': input '{name}' is neither '{streamingInput}' nor a state '{Prefix}NN' of fixed shape.");
            }

            long[] dims = [.. node.Dimensions.Select(d => (long)d)];
            floats += dims.Aggregate(1L, (a, b) => a * b);
            if (floats > maxFloats)
            {
                throw new ModelLoadException($"Model '{path}': its state holds more than {maxFloats} floats.");
            }

            states.Add(new StreamingSession.StateSpec(name, name + OutputSuffix, dims));
        }

        return states;
    }

    /// <summary>The inputs and outputs a graph must have: the streaming ones given, and each state in and out.</summary>
    public static (Dictionary<string, long[]> Inputs, Dictionary<string, long[]> Outputs) Expected(
        IEnumerable<StreamingSession.StateSpec> states, string input, long[] inputShape, string output, long[] outputShape)
    {
        var inputs = new Dictionary<string, long[]> { [input] = inputShape };
        var outputs = new Dictionary<string, long[]> { [output] = outputShape };
        foreach (StreamingSession.StateSpec s in states)
        {
            inputs[s.Input] = s.Shape;
            outputs[s.Output] = s.Shape;
        }

        return (inputs, outputs);
    }
}
