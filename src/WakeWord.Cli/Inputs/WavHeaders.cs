using WakeWord.Audio.Files;

namespace WakeWord.Cli.Inputs;

/// <summary>Reads every file's header before any is scored, so a typo in the last path fails at once, not after hours of audio.</summary>
public static class WavHeaders
{
    /// <summary>Throws the <see cref="WakeWord.Core.Audio.AudioSourceException"/> of the first file that cannot be read.</summary>
    public static void CheckAll(IEnumerable<string> paths, int sampleRate)
    {
        foreach (string path in paths)
        {
            using var check = new WavFileSource(path, sampleRate);
        }
    }
}
