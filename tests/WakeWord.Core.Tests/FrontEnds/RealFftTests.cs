using WakeWord.Core.FrontEnds.LogMel;

namespace WakeWord.Core.Tests.FrontEnds;

public sealed class RealFftTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(512)]
    public void PowerSpectrum_EqualsADirectDft(int size)
    {
        var random = new Random(size);
        double[] frame = new double[size];
        for (int i = 0; i < size; i++)
        {
            frame[i] = random.NextDouble() * 2 - 1;
        }

        double[] power = new double[size / 2 + 1];
        new RealFft(size).PowerSpectrum(frame, power);

        for (int k = 0; k <= size / 2; k++)
        {
            double re = 0, im = 0;
            for (int n = 0; n < size; n++)
            {
                re += frame[n] * Math.Cos(2 * Math.PI * k * n / size);
                im -= frame[n] * Math.Sin(2 * Math.PI * k * n / size);
            }

            double expected = re * re + im * im;
            Assert.True(Math.Abs(expected - power[k]) <= 1e-9 * Math.Max(1, expected), $"bin {k}: expected {expected}, got {power[k]}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(500)]
    public void Constructor_RejectsSizesThatAreNotPowersOfTwo(int size)
    {
        ArgumentOutOfRangeException ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RealFft(size));
        Assert.Contains($"got {size}", ex.Message);
    }
}
