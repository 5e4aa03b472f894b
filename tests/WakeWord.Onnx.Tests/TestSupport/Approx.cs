namespace WakeWord.Onnx.Tests.TestSupport;

/// <summary>Element-wise closeness of probability or embedding sequences, naming the first index that differs.</summary>
internal static class Approx
{
    public static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, float tolerance, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}: value {i} expected {expected[i]}, got {actual[i]}");
        }
    }
}
