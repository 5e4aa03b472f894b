using System.Text;

namespace WakeWord.Onnx.Tests.TestSupport;

/// <summary>
/// Rewrites the metadata_props of a real ONNX file (ModelProto field 14), leaving the graph untouched, so the loader's
/// contract checks can be tested on a model that otherwise runs. Works on the protobuf wire format of the top-level message.
/// </summary>
internal static class OnnxMetadataEditor
{
    private const int MetadataPropsField = 14;

    /// <summary>Writes a copy of <paramref name="source"/> to a temporary file with <paramref name="edit"/> applied to its metadata; returns the path.</summary>
    public static string WriteEdited(string source, Action<Dictionary<string, string>> edit, string? fileName = null)
    {
        byte[] model = File.ReadAllBytes(source);
        var kept = new MemoryStream();
        var metadata = new List<KeyValuePair<string, string>>();
        int offset = 0;
        while (offset < model.Length)
        {
            int start = offset;
            ulong key = ReadVarint(model, ref offset);
            int field = (int)(key >> 3);
            int wireType = (int)(key & 7);
            int bodyStart = offset;
            switch (wireType)
            {
                case 0:
                    ReadVarint(model, ref offset);
                    break;
                case 1:
                    offset += 8;
                    break;
                case 2:
                    int length = (int)ReadVarint(model, ref offset);
                    bodyStart = offset;
                    offset += length;
                    break;
                case 5:
                    offset += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unexpected wire type {wireType} in {source}.");
            }

            if (field == MetadataPropsField && wireType == 2)
            {
                metadata.Add(ParseEntry(model.AsSpan(bodyStart, offset - bodyStart)));
            }
            else
            {
                kept.Write(model, start, offset - start);
            }
        }

        var map = metadata.ToDictionary(p => p.Key, p => p.Value);
        edit(map);
        foreach ((string k, string v) in map)
        {
            byte[] entry = [.. Field(1, Encoding.UTF8.GetBytes(k)), .. Field(2, Encoding.UTF8.GetBytes(v))];
            kept.Write(Field(MetadataPropsField, entry));
        }

        string directory = EditedModelFolder.NewFolder();
        string path = Path.Combine(directory, fileName ?? Path.GetFileName(source));
        File.WriteAllBytes(path, kept.ToArray());
        return path;
    }

    private static KeyValuePair<string, string> ParseEntry(ReadOnlySpan<byte> entry)
    {
        byte[] bytes = entry.ToArray();
        string k = "", v = "";
        int offset = 0;
        while (offset < bytes.Length)
        {
            ulong key = ReadVarint(bytes, ref offset);
            int length = (int)ReadVarint(bytes, ref offset);
            string text = Encoding.UTF8.GetString(bytes, offset, length);
            offset += length;
            if ((key >> 3) == 1)
            {
                k = text;
            }
            else
            {
                v = text;
            }
        }

        return new(k, v);
    }

    private static ulong ReadVarint(byte[] data, ref int offset)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    private static byte[] Field(int field, byte[] body)
    {
        var output = new List<byte>();
        WriteVarint(output, (ulong)(field << 3 | 2));
        WriteVarint(output, (ulong)body.Length);
        output.AddRange(body);
        return [.. output];
    }

    private static void WriteVarint(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }

        output.Add((byte)value);
    }
}
