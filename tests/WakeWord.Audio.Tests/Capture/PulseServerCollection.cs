namespace WakeWord.Audio.Tests.Capture;

/// <summary>Every test that uses the PulseAudio server runs in this one collection, one at a time, on one daemon.</summary>
[CollectionDefinition(Name)]
public sealed class PulseServerCollection : ICollectionFixture<PulseServerFixture>
{
    public const string Name = "PulseAudio server";
}
