namespace WakeWord.Onnx.Heads;

/// <summary>
/// The names and keys of the head contract in models/README.md (<c>wakeword-head-v1</c>): a front end's embeddings in,
/// one probability per step out, every other input a state <c>state_NN</c> that comes back as <c>state_NN_out</c>.
/// </summary>
public static class HeadContract
{
    public const string Version = "wakeword-head-v1";

    public const string EmbeddingsInput = "embeddings";
    public const string ProbsOutput = "probs";

    public const string FrontEndKindKey = "frontend.kind";
    public const string FrontEndSha256Key = "frontend.sha256";
    public const string EmbeddingDimKey = "model.embedding_dim";

    // Upper bounds on what the metadata and the graph may state (the runtime sizes buffers from them): the shipped
    // front end gives 96 values per step, and the shipped heads keep 15 of them (5,760 floats).
    public const int MaxEmbeddingDim = 4096;
    public const long MaxStateFloats = 16L * 1024 * 1024;
}
