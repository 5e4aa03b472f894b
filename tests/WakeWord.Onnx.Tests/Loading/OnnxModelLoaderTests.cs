using WakeWord.Core.FrontEnds.LogMel;
using WakeWord.Core.Scoring;
using WakeWord.Onnx.Tests.TestSupport;

namespace WakeWord.Onnx.Tests.Loading;

public sealed class OnnxModelLoaderTests
{
    [Fact]
    public void Load_ReadsTheMetadataOfTheTinyModel()
    {
        using IWakeWordModel scorer = OnnxModelLoader.Load(Models.Tiny);
        ModelInfo info = scorer.Info;
        Assert.Equal("tiny", info.Id);
        Assert.Equal("computer", info.Word);
        Assert.Equal(Path.GetFullPath(Models.Tiny), info.Path);
        Assert.Equal(LogMelFrontEnd.SpecOf(FeatureSpec.Default), info.FrontEnd);
        Assert.Equal(3, info.RowsPerStep);
        Assert.Equal(0.03, info.StepSeconds, 9);
        Assert.InRange(info.RecommendedThreshold, 0f, 1f);
        Assert.True(info.HeldOnesSteps >= 1);
        Assert.Equal(float.Parse(info.Metadata[ModelContract.ThresholdKey], System.Globalization.CultureInfo.InvariantCulture), info.RecommendedThreshold);
        Assert.Equal(ModelContract.Version, info.Metadata[ModelContract.ContractKey]);
    }

    [Fact]
    public void ReadInfo_GivesTheSameInfoAsLoad()
    {
        ModelInfo info = OnnxModelLoader.ReadInfo(Models.Tiny);
        using IWakeWordModel scorer = OnnxModelLoader.Load(Models.Tiny);
        Assert.Equal(scorer.Info with { Metadata = info.Metadata }, info);
        Assert.Equal(scorer.Info.Metadata.Count, info.Metadata.Count);
    }

    [Fact]
    public void MissingFile_IsRefused_NamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N") + ".onnx");
        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("does not exist", ex.Message);
        Assert.Throws<ModelLoadException>(() => OnnxModelLoader.ReadInfo(path));
    }

    [Fact]
    public void TextFileNamedOnnx_IsRefused_AsNotOnnx()
    {
        string path = Path.Combine(Path.GetTempPath(), "text-" + Guid.NewGuid().ToString("N") + ".onnx");
        File.WriteAllText(path, "this is not a model\n");
        try
        {
            ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(path));
            Assert.Contains(path, ex.Message);
            Assert.Contains("not a loadable ONNX file", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void OnnxModelThatIsNotAWakeWordModel_IsRefused()
    {
        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(Models.NotWakeWord));
        Assert.Contains(Models.NotWakeWord, ex.Message);
        Assert.Contains("is not a wake-word model", ex.Message);
        Assert.Contains("'wakeword.contract' is missing", ex.Message);
    }

    [Theory]
    [InlineData(ModelContract.ContractKey, "wakeword-gru-v2", "has contract 'wakeword-gru-v2'")]
    [InlineData(ModelContract.HopSamplesKey, null, "'feature.hop_samples' is missing")]
    [InlineData(ModelContract.WordKey, null, "'wakeword.word' is missing")]
    [InlineData(ModelContract.MelBinsKey, "forty", "'feature.mel_bins' = 'forty' is not an integer")]
    [InlineData(ModelContract.ThresholdKey, "high", "'detector.threshold' = 'high' is not a finite number")]
    [InlineData(ModelContract.ThresholdKey, "1.5", "'detector.threshold' must be in [0, 1], got 1.5")]
    [InlineData(ModelContract.FramesPerStepKey, "0", "'model.frames_per_step' = 0 must be at least 1")]
    [InlineData(ModelContract.WindowKey, "hamming", "'feature.window' = 'hamming' is not supported (only 'hann_periodic')")]
    [InlineData(ModelContract.MelScaleKey, "slaney", "'feature.mel_scale' = 'slaney' is not supported")]
    [InlineData(ModelContract.FftSizeKey, "500", "unsupported feature parameters: fft_size must be a power of two")]
    [InlineData(ModelContract.MelBinsKey, "32", "input 'features' has shape [1, ?, 40], but the contract and its metadata need [1, ?, 32]")]
    [InlineData(ModelContract.GruHiddenKey, "64", "gru_state")]
    [InlineData(ModelContract.ContextFramesKey, "3", "conv_state")]
    public void ContractMismatch_IsRefused_NamingTheFileAndTheMismatch(string key, string? value, string expected)
    {
        string path = OnnxMetadataEditor.WriteEdited(Models.Tiny, metadata =>
        {
            if (value is null)
            {
                metadata.Remove(key);
            }
            else
            {
                metadata[key] = value;
            }
        });

        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void EditedButValidMetadata_StillLoads()
    {
        // Guards the editor above: a copy with an extra key must load, so the refusals come from the edits themselves.
        string path = OnnxMetadataEditor.WriteEdited(Models.Tiny, metadata => metadata["note"] = "copy", "copy.onnx");
        using IWakeWordModel scorer = OnnxModelLoader.Load(path);
        Assert.Equal("copy", scorer.Info.Id);
        Assert.Equal("copy", scorer.Info.Metadata["note"]);
    }

    [Fact]
    public void LoadAll_RefusesModelsWhoseSampleRatesDiffer_NamingBothFiles()
    {
        string other = OnnxMetadataEditor.WriteEdited(Models.Tiny, metadata =>
        {
            metadata[ModelContract.SampleRateKey] = "8000";
            metadata[ModelContract.FmaxKey] = "3800.0";
        }, "narrow.onnx");
        using (ModelSet same = OnnxModelLoader.LoadAll([Models.Tiny, Models.Tiny]))
        {
            Assert.Equal(2, same.Count);
        }

        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.LoadAll([Models.Tiny, other]));
        Assert.Contains(other, ex.Message);
        Assert.Contains(Models.Tiny, ex.Message);
        Assert.Contains("read one audio stream", ex.Message);
        Assert.Throws<ModelLoadException>(() => OnnxModelLoader.LoadAll([]));
    }
}
