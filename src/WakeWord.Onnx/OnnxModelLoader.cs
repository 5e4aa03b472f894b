using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using WakeWord.Core.Detection;
using WakeWord.Core.Features;
using WakeWord.Core.Scoring;

namespace WakeWord.Onnx;

/// <summary>Opens ONNX wake-word models and checks them against the contract of models/README.md.</summary>
public static class OnnxModelLoader
{
    /// <summary>Loads a model for streaming. Throws <see cref="ModelLoadException"/> naming the file and the problem (missing, not ONNX, contract mismatch).</summary>
    public static IWakeWordScorer Load(string path) => LoadStreaming(path);

    /// <summary>
    /// Loads models that will run together on one feature stream, all or nothing: when a file fails, or the models'
    /// features differ, the ones already loaded are disposed and <see cref="ModelLoadException"/> names the file.
    /// </summary>
    public static IReadOnlyList<IWakeWordScorer> LoadAll(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ModelLoadException("No model files given.");
        }

        var scorers = new List<IWakeWordScorer>(paths.Count);
        try
        {
            foreach (string path in paths)
            {
                scorers.Add(Load(path));
            }

            ModelInfo first = scorers[0].Info;
            foreach (IWakeWordScorer scorer in scorers)
            {
                if (scorer.Info.Features != first.Features)
                {
                    throw new ModelLoadException(
                        $"{scorer.Info.Path}: its features ({scorer.Info.Features}) differ from those of {first.Path} ({first.Features}); " +
                        "models that run together share one feature stream, so run these separately");
                }
            }

            return scorers;
        }
        catch
        {
            foreach (IWakeWordScorer scorer in scorers)
            {
                scorer.Dispose();
            }

            throw;
        }
    }

    /// <summary>As <see cref="Load"/>, with the concrete type (its <see cref="StreamingGruModel.Shape"/>, <see cref="StreamingGruModel.StepsFor"/>).</summary>
    public static StreamingGruModel LoadStreaming(string path)
    {
        InferenceSession session = OpenSession(path);
        StreamingGruModel? model = null;
        try
        {
            (ModelInfo info, ModelShape shape) = Inspect(path, session);
            model = new StreamingGruModel(session, info, shape);

            // One step of silence through the real bindings: proves the graph takes and returns the shapes the metadata
            // promises, so a broken model fails here, at load, and not in the middle of a stream.
            model.Score(new float[shape.FramesPerStep * shape.MelBins], new float[1]);
            model.Reset();
            return model;
        }
        catch (Exception ex)
        {
            if (model is not null)
            {
                model.Dispose(); // disposes the session too
            }
            else
            {
                session.Dispose();
            }

            if (ex is OnnxRuntimeException ort)
            {
                throw new ModelLoadException($"Model '{path}' failed a trial step with the contract's shapes: {FirstLine(ort.Message)}", ort);
            }

            throw;
        }
    }

    /// <summary>Reads and validates only the metadata (for `wakeword models`).</summary>
    /// <remarks>ONNX Runtime reads metadata only through a session, so this opens one and checks the whole contract.</remarks>
    public static ModelInfo ReadInfo(string path)
    {
        using InferenceSession session = OpenSession(path);
        return Inspect(path, session).Info;
    }

    private static InferenceSession OpenSession(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ModelLoadException("Model path is empty.");
        }

        if (Directory.Exists(path))
        {
            throw new ModelLoadException($"Model '{path}' is a directory, not an .onnx file.");
        }

        if (!File.Exists(path))
        {
            throw new ModelLoadException($"Model file '{path}' does not exist.");
        }

        OnnxRuntimeEnvironment.EnsureCreated();

        // One thread, sequential: a wake-word step is tiny, and the service must stay far under one core.
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException($"Model '{path}' is not a loadable ONNX file: {FirstLine(ex.Message)}", ex);
        }
    }

    private static (ModelInfo Info, ModelShape Shape) Inspect(string path, InferenceSession session)
    {
        var metadata = new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap, StringComparer.Ordinal);
        var reader = new MetadataReader(path, metadata);

        if (!metadata.TryGetValue(ModelContract.ContractKey, out string? contract))
        {
            throw new ModelLoadException($"Model '{path}' is not a wake-word model: metadata key '{ModelContract.ContractKey}' is missing (expected '{ModelContract.Version}').");
        }

        if (contract != ModelContract.Version)
        {
            throw new ModelLoadException($"Model '{path}' has contract '{contract}' in '{ModelContract.ContractKey}', but this runtime supports only '{ModelContract.Version}'.");
        }

        string word = reader.String(ModelContract.WordKey);
        string version = reader.String(ModelContract.VersionKey);
        reader.Expect(ModelContract.WindowKey, ModelContract.SupportedWindow);
        reader.Expect(ModelContract.MelScaleKey, ModelContract.SupportedMelScale);
        var spec = new FeatureSpec(
            reader.Int(ModelContract.SampleRateKey, 1),
            reader.Int(ModelContract.WindowSamplesKey, 1),
            reader.Int(ModelContract.HopSamplesKey, 1),
            reader.Int(ModelContract.FftSizeKey, 1),
            reader.Int(ModelContract.MelBinsKey, 1),
            reader.Float(ModelContract.FminKey),
            reader.Float(ModelContract.FmaxKey),
            reader.Float(ModelContract.LogFloorKey));
        string? specProblem = LogMelFeaturizer.Check(spec);
        if (specProblem is not null)
        {
            throw new ModelLoadException($"Model '{path}' asks for unsupported feature parameters: {specProblem}");
        }

        var shape = new ModelShape(
            spec.MelBins,
            reader.Int(ModelContract.ContextFramesKey, 1, ModelContract.MaxContextFrames),
            reader.Int(ModelContract.GruLayersKey, 1, ModelContract.MaxGruLayers),
            reader.Int(ModelContract.GruHiddenKey, 1, ModelContract.MaxGruHidden),
            reader.Int(ModelContract.FramesPerStepKey, 1, ModelContract.MaxFramesPerStep));
        float threshold = reader.Float(ModelContract.ThresholdKey);
        if (DetectorSettings.ThresholdProblem(threshold) is string thresholdProblem)
        {
            throw new ModelLoadException($"Model '{path}': metadata '{ModelContract.ThresholdKey}' {thresholdProblem}, got {threshold.ToString(CultureInfo.InvariantCulture)}.");
        }

        int heldOnes = reader.Int(ModelContract.HeldOnesStepsKey, 1, ModelContract.MaxHeldOnesSteps);
        float refractory = reader.Float(ModelContract.RefractoryKey);
        if (DetectorSettings.RefractoryProblem(refractory) is string refractoryProblem)
        {
            throw new ModelLoadException($"Model '{path}': metadata '{ModelContract.RefractoryKey}' {refractoryProblem}, got {refractory.ToString(CultureInfo.InvariantCulture)}.");
        }

        CheckGraph(path, session, shape);

        var info = new ModelInfo(
            Path.GetFileNameWithoutExtension(path),
            word,
            Path.GetFullPath(path),
            version,
            spec,
            shape.FramesPerStep,
            threshold,
            heldOnes,
            refractory,
            metadata);
        return (info, shape);
    }

    /// <summary>The graph's inputs and outputs must be exactly the contract's, with the dimensions the metadata states.</summary>
    private static void CheckGraph(string path, InferenceSession session, ModelShape s)
    {
        // -1 stands for a dimension the graph leaves free (T, the number of steps).
        CheckNodes(path, "input", session.InputMetadata, new Dictionary<string, long[]>
        {
            [ModelContract.FeaturesInput] = [1, -1, s.MelBins],
            [ModelContract.ConvStateInput] = [1, s.ContextFrames, s.MelBins],
            [ModelContract.GruStateInput] = [s.GruLayers, 1, s.GruHidden],
        });
        CheckNodes(path, "output", session.OutputMetadata, new Dictionary<string, long[]>
        {
            [ModelContract.ProbsOutput] = [1, -1],
            [ModelContract.ConvStateOutput] = [1, s.ContextFrames, s.MelBins],
            [ModelContract.GruStateOutput] = [s.GruLayers, 1, s.GruHidden],
        });
    }

    private static void CheckNodes(string path, string kind, IReadOnlyDictionary<string, NodeMetadata> actual, Dictionary<string, long[]> expected)
    {
        string expectedNames = string.Join(", ", expected.Keys);
        string actualNames = string.Join(", ", actual.Keys);
        if (actual.Count != expected.Count || expected.Keys.Any(name => !actual.ContainsKey(name)))
        {
            throw new ModelLoadException($"Model '{path}' has {kind}s [{actualNames}], but the contract '{ModelContract.Version}' needs exactly [{expectedNames}].");
        }

        foreach ((string name, long[] dims) in expected)
        {
            NodeMetadata node = actual[name];
            if (!node.IsTensor || node.ElementDataType != TensorElementType.Float)
            {
                throw new ModelLoadException($"Model '{path}': {kind} '{name}' must be a float32 tensor, got {node.OnnxValueType} of {node.ElementDataType}.");
            }

            int[] graphDims = node.Dimensions;
            bool same = graphDims.Length == dims.Length;
            for (int i = 0; same && i < dims.Length; i++)
            {
                // Only dimensions fixed on both sides can disagree: exporters often leave the state's dimensions free
                // (symbolic). The trial step in LoadStreaming catches a free dimension that turns out wrong.
                same = dims[i] < 0 || graphDims[i] < 0 || graphDims[i] == dims[i];
            }

            if (!same)
            {
                throw new ModelLoadException($"Model '{path}': {kind} '{name}' has shape {Show(graphDims.Select(d => (long)d))}, but the contract and its metadata need {Show(dims)}.");
            }
        }
    }

    private static string Show(IEnumerable<long> dims) => "[" + string.Join(", ", dims.Select(d => d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture))) + "]";

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n');
        return (newline < 0 ? message : message[..newline]).Trim();
    }

    /// <summary>Reads typed metadata values, failing with the file, the key and the offending value.</summary>
    private sealed class MetadataReader(string path, IReadOnlyDictionary<string, string> metadata)
    {
        public string String(string key)
        {
            if (!metadata.TryGetValue(key, out string? value))
            {
                throw new ModelLoadException($"Model '{path}': metadata key '{key}' is missing (required by '{ModelContract.Version}').");
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ModelLoadException($"Model '{path}': metadata key '{key}' is empty.");
            }

            return value.Trim();
        }

        public int Int(string key, int min, int max = int.MaxValue)
        {
            string text = String(key);
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            {
                throw new ModelLoadException($"Model '{path}': metadata '{key}' = '{text}' is not an integer.");
            }

            if (value < min)
            {
                throw new ModelLoadException($"Model '{path}': metadata '{key}' = {value} must be at least {min}.");
            }

            if (value > max)
            {
                throw new ModelLoadException($"Model '{path}': metadata '{key}' = {value} is above the most this runtime takes ({max}).");
            }

            return value;
        }

        public float Float(string key)
        {
            string text = String(key);
            if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
            {
                throw new ModelLoadException($"Model '{path}': metadata '{key}' = '{text}' is not a finite number.");
            }

            return value;
        }

        public void Expect(string key, string supported)
        {
            string value = String(key);
            if (value != supported)
            {
                throw new ModelLoadException($"Model '{path}': metadata '{key}' = '{value}' is not supported (only '{supported}').");
            }
        }
    }
}
