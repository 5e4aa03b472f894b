namespace WakeWord.Onnx.Heads;

/// <summary>The names and keys of the head contract in models/README.md (<c>wakeword-head-v1</c>): a GRU over a front end's embedding steps.</summary>
public static class HeadContract
{
    public const string Version = "wakeword-head-v1";

    public const string EmbeddingsInput = "embeddings";
    public const string GruStateInput = "gru_state";
    public const string ProbsOutput = "probs";
    public const string GruStateOutput = "gru_state_out";

    public const string FrontEndKindKey = "frontend.kind";
    public const string FrontEndSha256Key = "frontend.sha256";
    public const string EmbeddingDimKey = "model.embedding_dim";

    // Upper bound on the embedding width the metadata may state (the runtime sizes buffers from it); the shipped
    // front end gives 96.
    public const int MaxEmbeddingDim = 4096;
}
