namespace WakeWord.Onnx.SpeechEmbedding;

/// <summary>
/// The names and keys of the front-end contract in models/README.md (<c>wakeword-frontend-v1</c>): audio in, one
/// embedding per step out, every other input a state tensor <c>state_NN</c> that comes back as <c>state_NN_out</c>.
/// </summary>
public static class FrontEndContract
{
    public const string Version = "wakeword-frontend-v1";
    public const string SpeechEmbeddingKind = "speech_embedding";

    public const string AudioInput = "audio";
    public const string EmbeddingsOutput = "embeddings";

    public const string KindKey = "frontend.kind";
    public const string SampleRateKey = "frontend.sample_rate";
    public const string SamplesPerStepKey = "frontend.samples_per_step";
    public const string EmbeddingDimKey = "frontend.embedding_dim";
    public const string WarmupStepsKey = "frontend.warmup_steps";

    /// <summary>The folder, next to the models, that holds front ends (<c>&lt;kind&gt;.onnx</c>).</summary>
    public const string Folder = "frontends";

    // Bounds on what the metadata may state (buffers are sized from them before the graph can disagree).
    public const int MaxSamplesPerStep = 48_000;
    public const int MaxEmbeddingDim = 4096;
    public const long MaxStateFloats = 16L * 1024 * 1024;
}
