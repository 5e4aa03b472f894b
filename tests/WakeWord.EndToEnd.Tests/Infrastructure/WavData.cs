using System.Buffers.Binary;
using System.Text;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>The raw PCM bytes of a WAV file's data chunk (to pipe a fixture into `detect -` as arecord would), and a
/// writer for the 16 kHz mono 16-bit WAVs tests generate.</summary>
public static class WavData
{
    public static void WriteMono16k(string path, ReadOnlySpan<byte> pcm)
    {
        using FileStream file = File.Create(path);
        Span<byte> header = stackalloc byte[44];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], 36 + pcm.Length);
        Encoding.ASCII.GetBytes("WAVEfmt ").CopyTo(header[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(header[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(header[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], 16000);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], 32000);
        BinaryPrimitives.WriteInt16LittleEndian(header[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(header[34..], 16);
        Encoding.ASCII.GetBytes("data").CopyTo(header[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], pcm.Length);
        file.Write(header);
        file.Write(pcm);
    }

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
