namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>A fact that needs models/computer.onnx; skipped, saying why, only while that file is absent.</summary>
public sealed class RequiresShippedModelFactAttribute : FactAttribute
{
    public RequiresShippedModelFactAttribute()
    {
        if (!File.Exists(RepoPaths.ShippedModel))
        {
            Skip = ShippedModel.SkipReason;
        }
    }
}
