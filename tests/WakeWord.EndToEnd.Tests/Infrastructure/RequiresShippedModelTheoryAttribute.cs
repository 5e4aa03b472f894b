namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>A theory that needs models/computer.onnx; skipped, saying why, only while that file is absent.</summary>
public sealed class RequiresShippedModelTheoryAttribute : TheoryAttribute
{
    public RequiresShippedModelTheoryAttribute()
    {
        if (!File.Exists(RepoPaths.ShippedModel))
        {
            Skip = ShippedModel.SkipReason;
        }
    }
}
