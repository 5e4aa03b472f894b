using System.Globalization;

namespace WakeWord.Core.FrontEnds.LogMel;

/// <summary>The log-mel front end of models/README.md (<c>wakeword-gru-v1</c> models): nothing to load but its parameters.</summary>
public sealed class LogMelFrontEnd : IFrontEnd
{
    public const string Kind = "logmel";

    public LogMelFrontEnd(FeatureSpec features)
    {
        ArgumentNullException.ThrowIfNull(features);
        LogMelFeaturizer.Validate(features);
        Features = features;
        Spec = SpecOf(features);
    }

    public FeatureSpec Features { get; }

    public FrontEndSpec Spec { get; }

    public IFrontEndStream CreateStream() => new LogMelFeaturizer(Features);

    public static FrontEndSpec SpecOf(FeatureSpec f) => new(
        Kind,
        string.Create(CultureInfo.InvariantCulture, $"window {f.WindowSamples}, hop {f.HopSamples}, fft {f.FftSize}, {f.MelBins} mels {f.FminHz}-{f.FmaxHz} Hz, log floor {f.LogFloor}"),
        f.SampleRate,
        f.HopSamples,
        f.WindowSamples,
        f.MelBins);
}
