namespace WakeWord.Onnx;

/// <summary>The names and keys of the model contract in models/README.md (<c>wakeword-gru-v1</c>).</summary>
public static class ModelContract
{
    public const string Version = "wakeword-gru-v1";

    public const string FeaturesInput = "features";
    public const string ConvStateInput = "conv_state";
    public const string GruStateInput = "gru_state";
    public const string ProbsOutput = "probs";
    public const string ConvStateOutput = "conv_state_out";
    public const string GruStateOutput = "gru_state_out";

    public const string ContractKey = "wakeword.contract";
    public const string WordKey = "wakeword.word";
    public const string VersionKey = "wakeword.version";
    public const string SampleRateKey = "feature.sample_rate";
    public const string WindowSamplesKey = "feature.window_samples";
    public const string HopSamplesKey = "feature.hop_samples";
    public const string FftSizeKey = "feature.fft_size";
    public const string MelBinsKey = "feature.mel_bins";
    public const string FminKey = "feature.fmin_hz";
    public const string FmaxKey = "feature.fmax_hz";
    public const string LogFloorKey = "feature.log_floor";
    public const string WindowKey = "feature.window";
    public const string MelScaleKey = "feature.mel_scale";
    public const string FramesPerStepKey = "model.frames_per_step";
    public const string ContextFramesKey = "model.context_frames";
    public const string GruLayersKey = "model.gru_layers";
    public const string GruHiddenKey = "model.gru_hidden";
    public const string ThresholdKey = "detector.threshold";
    public const string HeldOnesStepsKey = "detector.held_ones_steps";
    public const string RefractoryKey = "detector.refractory_s";

    // Upper bounds for the sizes the metadata states. The runtime allocates buffers of these sizes before the graph can
    // say otherwise (frames per step has no graph dimension), so a hostile or broken file must not choose them: a
    // frames_per_step of 10^6 made the load allocate 480 MB, and 2^31-1 overflowed (found by
    // OnnxModelLoaderPropertyTests). Each is far above any model this project trains (3, 2, 2, 128, 12).
    public const int MaxFramesPerStep = 100; // 1 s per step at a 10 ms hop
    public const int MaxContextFrames = 100;
    public const int MaxGruLayers = 16;
    public const int MaxGruHidden = 4096;
    public const int MaxHeldOnesSteps = 10_000;

    public const string SupportedWindow = "hann_periodic";
    public const string SupportedMelScale = "htk";
}
