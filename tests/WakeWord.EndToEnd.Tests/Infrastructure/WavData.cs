using System.Buffers.Binary;
using System.Text;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>The raw PCM bytes of a WAV file's data chunk (to pipe a fixture into `detect -` as arecord would).</summary>
public static class WavData
{
    public static byte[] PcmBytes(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        int position = 12;
        while (position + 8 <= file.Length)
        {
            string id = Encoding.ASCII.GetString(file, position, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(position + 4));
            if (id == "data")
            {
                return file.AsSpan(position + 8, Math.Min(size, file.Length - position - 8)).ToArray();
            }

            position += 8 + size + (size & 1);
        }

        throw new InvalidDataException($"{path}: no data chunk");
    }
}
