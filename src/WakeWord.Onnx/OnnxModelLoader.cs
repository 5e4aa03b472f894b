using System.Globalization;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using WakeWord.Core.Detection;
using WakeWord.Core.FrontEnds;
using WakeWord.Core.FrontEnds.LogMel;
using WakeWord.Core.Scoring;
using WakeWord.Onnx.Heads;
using WakeWord.Onnx.LogMel;
using WakeWord.Onnx.SpeechEmbedding;
using WakeWord.Onnx.Streaming;

namespace WakeWord.Onnx;

/// <summary>
/// Opens ONNX wake-word models and checks them against the contracts of models/README.md: <c>wakeword-gru-v1</c>
/// (log-mel frames, computed in C#) and <c>wakeword-head-v1</c> (a head on a front end that it names by kind and sha256,
/// found in the <c>frontends</c> folder next to the model or next to the program's shipped models).
/// </summary>
public static class OnnxModelLoader
{
    /// <summary>Loads one model, with its own front end. Throws <see cref="ModelLoadException"/> naming the file and the problem.</summary>
    public static IWakeWordModel Load(string path)
    {
        var frontEnds = new Dictionary<string, SpeechEmbeddingFrontEnd>(StringComparer.Ordinal);
        try
        {
            IWakeWordModel model = Load(path, frontEnds, ownFrontEnd: true);
            frontEnds.Clear();
            return model;
        }
        finally
        {
            foreach (SpeechEmbeddingFrontEnd f in frontEnds.Values)
            {
                f.Dispose();
            }
        }
    }

    /// <summary>
    /// Loads models that will run together on one audio stream, all or nothing: each front end once, shared by every model
    /// that names it. When a file fails, or the models' sample rates differ, what was loaded is disposed and
    /// <see cref="ModelLoadException"/> names the file.
    /// </summary>
    public static ModelSet LoadAll(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ModelLoadException("No model files given.");
        }

        var frontEnds = new Dictionary<string, SpeechEmbeddingFrontEnd>(StringComparer.Ordinal);
        var models = new List<IWakeWordModel>(paths.Count);
        try
        {
            foreach (string path in paths)
            {
                models.Add(Load(path, frontEnds, ownFrontEnd: false));
            }

            ModelInfo first = models[0].Info;
            foreach (IWakeWordModel model in models)
            {
                if (model.Info.SampleRate != first.SampleRate)
                {
                    throw new ModelLoadException(
                        $"{model.Info.Path}: needs audio at {model.Info.SampleRate} Hz, but {first.Path} at {first.SampleRate} Hz; " +
                        "models that run together read one audio stream, so run these separately");
                }
            }

            return new ModelSet([.. models], [.. frontEnds.Values]);
        }
        catch
        {
            foreach (IWakeWordModel model in models)
            {
                model.Dispose();
            }

            foreach (SpeechEmbeddingFrontEnd f in frontEnds.Values)
            {
                f.Dispose();
            }

            throw;
        }
    }

    /// <summary>Reads and validates the metadata (for `wakeword models`); a head's front end is checked too.</summary>
    /// <remarks>ONNX Runtime reads metadata only through a session, so this opens one and checks the whole contract.</remarks>
    public static ModelInfo ReadInfo(string path)
    {
        using IWakeWordModel model = Load(path);
        return model.Info;
    }

    /// <summary>Loads a front end file (<c>wakeword-frontend-v1</c>) on its own: for tests and benchmarks.</summary>
    public static SpeechEmbeddingFrontEnd LoadFrontEnd(string path)
    {
        InferenceSession session = OpenSession(path);
        try
        {
            SpeechEmbeddingFrontEnd frontEnd = InspectFrontEnd(path, session, Sha256Of(path));
            TrialRun(path, () =>
            {
                using IFrontEndStream stream = frontEnd.CreateStream();
                stream.Process(new float[frontEnd.Spec.RowSamples], new float[frontEnd.Spec.Width]);
            });
            return frontEnd;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Where a head's front end is looked for, in order: next to the model, then next to the program's models; in each
    /// folder the current front end (<c>kind.onnx</c>), then one the project has since replaced, kept under the start
    /// of its hash (<c>kind-0123456789ab.onnx</c>) so that heads bound to it still load as they were trained.
    /// </summary>
    public static IReadOnlyList<string> FrontEndCandidates(string modelPath, string kind, string sha)
    {
        string[] files = [kind + ".onnx", $"{kind}-{sha[..Math.Min(12, sha.Length)]}.onnx"];
        string besideDir = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".", FrontEndContract.Folder);
        string shippedDir = Path.Combine(AppContext.BaseDirectory, "models", FrontEndContract.Folder);
        string[] dirs = string.Equals(Path.GetFullPath(besideDir), Path.GetFullPath(shippedDir), StringComparison.Ordinal) ? [besideDir] : [besideDir, shippedDir];
        return [.. dirs.SelectMany(d => files.Select(f => Path.Combine(d, f)))];
    }

    private static IWakeWordModel Load(string path, Dictionary<string, SpeechEmbeddingFrontEnd> frontEnds, bool ownFrontEnd)
    {
        InferenceSession session = OpenSession(path);
        IWakeWordModel? model = null;
        try
        {
            var metadata = new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap, StringComparer.Ordinal);
            if (!metadata.TryGetValue(ModelContract.ContractKey, out string? contract))
            {
                throw new ModelLoadException($"Model '{path}' is not a wake-word model: metadata key '{ModelContract.ContractKey}' is missing (expected '{HeadContract.Version}' or '{ModelContract.Version}').");
            }

            model = contract switch
            {
                ModelContract.Version => InspectLogMel(path, session, metadata),
                HeadContract.Version => InspectHead(path, session, metadata, frontEnds, ownFrontEnd),
                FrontEndContract.Version => throw new ModelLoadException($"Model '{path}' is a front end ('{contract}'), not a wake-word model; it belongs in a '{FrontEndContract.Folder}' folder next to the models."),
                _ => throw new ModelLoadException($"Model '{path}' has contract '{contract}' in '{ModelContract.ContractKey}', but this runtime supports only '{HeadContract.Version}' and '{ModelContract.Version}'."),
            };

            // One step of silence through the real bindings: proves the graph takes and returns the shapes the metadata
            // promises, so a broken model fails here, at load, and not in the middle of a stream.
            IWakeWordModel loaded = model;
            TrialRun(path, () =>
            {
                using IWakeWordScorer scorer = loaded.CreateScorer();
                scorer.Score(new float[loaded.Info.RowsPerStep * loaded.Info.FrontEnd.Width], new float[1]);
            });
            return model;
        }
        catch
        {
            if (model is not null)
            {
                model.Dispose(); // disposes the session too
            }
            else
            {
                session.Dispose();
            }

            throw;
        }
    }

    private static void TrialRun(string path, Action run)
    {
        try
        {
            run();
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException($"Model '{path}' failed a trial step with the contract's shapes: {FirstLine(ex.Message)}", ex);
        }
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

    private static LogMelGruModel InspectLogMel(string path, InferenceSession session, Dictionary<string, string> metadata)
    {
        var reader = new ModelMetadataReader(path, metadata, ModelContract.Version);
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

        var shape = new LogMelGruShape(
            spec.MelBins,
            reader.Int(ModelContract.ContextFramesKey, 1, ModelContract.MaxContextFrames),
            reader.Int(ModelContract.GruLayersKey, 1, ModelContract.MaxGruLayers),
            reader.Int(ModelContract.GruHiddenKey, 1, ModelContract.MaxGruHidden),
            reader.Int(ModelContract.FramesPerStepKey, 1, ModelContract.MaxFramesPerStep));
        (float threshold, int heldOnes, float refractory) = DetectorMetadata(reader);

        CheckNodes(path, "input", session.InputMetadata, new Dictionary<string, long[]>
        {
            [ModelContract.FeaturesInput] = [1, -1, shape.MelBins],
            [ModelContract.ConvStateInput] = [1, shape.ContextFrames, shape.MelBins],
            [ModelContract.GruStateInput] = [shape.GruLayers, 1, shape.GruHidden],
        }, ModelContract.Version);
        CheckNodes(path, "output", session.OutputMetadata, new Dictionary<string, long[]>
        {
            [ModelContract.ProbsOutput] = [1, -1],
            [ModelContract.ConvStateOutput] = [1, shape.ContextFrames, shape.MelBins],
            [ModelContract.GruStateOutput] = [shape.GruLayers, 1, shape.GruHidden],
        }, ModelContract.Version);

        var info = new ModelInfo(
            Path.GetFileNameWithoutExtension(path), word, Path.GetFullPath(path), version, LogMelFrontEnd.SpecOf(spec),
            shape.FramesPerStep, threshold, heldOnes, refractory, metadata);
        return new LogMelGruModel(session, info, shape, spec);
    }

    private static HeadModel InspectHead(
        string path, InferenceSession session, Dictionary<string, string> metadata, Dictionary<string, SpeechEmbeddingFrontEnd> frontEnds, bool ownFrontEnd)
    {
        var reader = new ModelMetadataReader(path, metadata, HeadContract.Version);
        string word = reader.String(ModelContract.WordKey);
        string version = reader.String(ModelContract.VersionKey);
        reader.Expect(HeadContract.FrontEndKindKey, FrontEndContract.SpeechEmbeddingKind);
        string sha = reader.String(HeadContract.FrontEndSha256Key).ToLowerInvariant();
        if (sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower))
        {
            throw new ModelLoadException($"Model '{path}': metadata '{HeadContract.FrontEndSha256Key}' = '{sha}' is not a sha256 (64 hex digits).");
        }

        int dim = reader.Int(HeadContract.EmbeddingDimKey, 1, HeadContract.MaxEmbeddingDim);
        (float threshold, int heldOnes, float refractory) = DetectorMetadata(reader);

        List<StreamingSession.StateSpec> states = StateTensors.Discover(path, session, HeadContract.EmbeddingsInput, HeadContract.MaxStateFloats);
        (Dictionary<string, long[]> inputs, Dictionary<string, long[]> outputs) =
            StateTensors.Expected(states, HeadContract.EmbeddingsInput, [1, -1, dim], HeadContract.ProbsOutput, [1, -1]);
        CheckNodes(path, "input", session.InputMetadata, inputs, HeadContract.Version);
        CheckNodes(path, "output", session.OutputMetadata, outputs, HeadContract.Version);
        int stepsPerRun = HeadStepsPerRun(path, session);

        bool created = false;
        if (!frontEnds.TryGetValue(sha, out SpeechEmbeddingFrontEnd? frontEnd))
        {
            frontEnd = FindFrontEnd(path, FrontEndContract.SpeechEmbeddingKind, sha);
            frontEnds[sha] = frontEnd;
            created = true;
        }

        if (frontEnd.Spec.Width != dim)
        {
            throw new ModelLoadException($"Model '{path}' takes embeddings of {dim} values, but its front end '{frontEnd.Path}' gives {frontEnd.Spec.Width}.");
        }

        var info = new ModelInfo(
            Path.GetFileNameWithoutExtension(path), word, Path.GetFullPath(path), version, frontEnd.Spec, 1, threshold, heldOnes, refractory, metadata);
        if (ownFrontEnd && created)
        {
            // The model alone holds this front end: it is disposed with the model, not with the loader's dictionary.
            frontEnds.Remove(sha);
            return new HeadModel(session, info, frontEnd, states, frontEnd, stepsPerRun);
        }

        return new HeadModel(session, info, frontEnd, states, ownedFrontEnd: null, stepsPerRun);
    }

    /// <summary>
    /// A head's time axis is free (any number of embeddings per call) or fixed at 1: a graph that steps its state once
    /// per call (a staggered head, whose copies reset by a step counter) takes one embedding at a time.
    /// </summary>
    private static int HeadStepsPerRun(string path, InferenceSession session)
    {
        int steps = session.InputMetadata[HeadContract.EmbeddingsInput].Dimensions[1];
        return steps switch
        {
            < 0 => HeadScorer.MaxStepsPerRun,
            1 => 1,
            _ => throw new ModelLoadException(
                $"Model '{path}': input '{HeadContract.EmbeddingsInput}' has {steps} steps on its time axis; the contract '{HeadContract.Version}' needs it free or 1."),
        };
    }

    private static SpeechEmbeddingFrontEnd FindFrontEnd(string modelPath, string kind, string sha)
    {
        IReadOnlyList<string> candidates = FrontEndCandidates(modelPath, kind, sha);
        var seen = new List<string>();
        foreach (string candidate in candidates)
        {
            if (!File.Exists(candidate))
            {
                continue;
            }

            string actual = Sha256Of(candidate);
            if (actual == sha)
            {
                return LoadFrontEnd(candidate);
            }

            seen.Add($"'{candidate}' has sha256 {actual}");
        }

        string where = string.Join(" or ", candidates.Select(c => $"'{c}'"));
        throw new ModelLoadException(seen.Count == 0
            ? $"Model '{modelPath}' needs the {kind} front end with sha256 {sha}, but there is no {where}."
            : $"Model '{modelPath}' needs the {kind} front end with sha256 {sha}, but {string.Join("; ", seen)}: the model was trained on other front-end weights.");
    }

    private static SpeechEmbeddingFrontEnd InspectFrontEnd(string path, InferenceSession session, string sha)
    {
        var metadata = new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap, StringComparer.Ordinal);
        var reader = new ModelMetadataReader(path, metadata, FrontEndContract.Version);
        reader.Expect(ModelContract.ContractKey, FrontEndContract.Version);
        reader.Expect(FrontEndContract.KindKey, FrontEndContract.SpeechEmbeddingKind);
        int rate = reader.Int(FrontEndContract.SampleRateKey, 1000, 192_000);
        int stepSamples = reader.Int(FrontEndContract.SamplesPerStepKey, 1, FrontEndContract.MaxSamplesPerStep);
        int dim = reader.Int(FrontEndContract.EmbeddingDimKey, 1, FrontEndContract.MaxEmbeddingDim);
        int warmup = reader.Int(FrontEndContract.WarmupStepsKey, 0, 10_000);

        List<StreamingSession.StateSpec> states = StateTensors.Discover(path, session, FrontEndContract.AudioInput, FrontEndContract.MaxStateFloats);
        (Dictionary<string, long[]> inputs, Dictionary<string, long[]> outputs) =
            StateTensors.Expected(states, FrontEndContract.AudioInput, [1, -1], FrontEndContract.EmbeddingsOutput, [1, -1, dim]);
        CheckNodes(path, "input", session.InputMetadata, inputs, FrontEndContract.Version);
        CheckNodes(path, "output", session.OutputMetadata, outputs, FrontEndContract.Version);
        var spec = new FrontEndSpec(FrontEndContract.SpeechEmbeddingKind, sha, rate, stepSamples, stepSamples, dim);
        return new SpeechEmbeddingFrontEnd(session, spec, states, warmup, Path.GetFullPath(path));
    }

    private static (float Threshold, int HeldOnes, float Refractory) DetectorMetadata(ModelMetadataReader reader)
    {
        float threshold = reader.Float(ModelContract.ThresholdKey);
        if (DetectorSettings.ThresholdProblem(threshold) is string thresholdProblem)
        {
            throw new ModelLoadException($"Model '{reader.Path}': metadata '{ModelContract.ThresholdKey}' {thresholdProblem}, got {threshold.ToString(CultureInfo.InvariantCulture)}.");
        }

        int heldOnes = reader.Int(ModelContract.HeldOnesStepsKey, 1, ModelContract.MaxHeldOnesSteps);
        float refractory = reader.Float(ModelContract.RefractoryKey);
        if (DetectorSettings.RefractoryProblem(refractory) is string refractoryProblem)
        {
            throw new ModelLoadException($"Model '{reader.Path}': metadata '{ModelContract.RefractoryKey}' {refractoryProblem}, got {refractory.ToString(CultureInfo.InvariantCulture)}.");
        }

        return (threshold, heldOnes, refractory);
    }

    private static string Sha256Of(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The graph's inputs and outputs must be exactly the contract's, with the dimensions the metadata states.</summary>
    private static void CheckNodes(string path, string kind, IReadOnlyDictionary<string, NodeMetadata> actual, Dictionary<string, long[]> expected, string contract)
    {
        string expectedNames = string.Join(", ", expected.Keys);
        string actualNames = string.Join(", ", actual.Keys);
        if (actual.Count != expected.Count || expected.Keys.Any(name => !actual.ContainsKey(name)))
        {
            throw new ModelLoadException($"Model '{path}' has {kind}s [{actualNames}], but the contract '{contract}' needs exactly [{expectedNames}].");
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
                // (symbolic). The trial step at load catches a free dimension that turns out wrong.
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
}
