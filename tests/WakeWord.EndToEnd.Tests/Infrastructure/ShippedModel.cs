namespace WakeWord.EndToEnd.Tests.Infrastructure;

internal static class ShippedModel
{
    public const string SkipReason =
        "models/computer.onnx is absent: it is trained by training/ (training/README.md); these tests run once it is committed";
}
