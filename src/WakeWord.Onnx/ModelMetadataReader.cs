using System.Globalization;

namespace WakeWord.Onnx;

/// <summary>Reads typed metadata values of an ONNX file, failing with the file, the key and the offending value.</summary>
internal sealed class ModelMetadataReader(string path, IReadOnlyDictionary<string, string> metadata, string contract)
{
    public string Path => path;

    public bool Has(string key) => metadata.ContainsKey(key);

    public string String(string key)
    {
        if (!metadata.TryGetValue(key, out string? value))
        {
            throw new ModelLoadException($"Model '{path}': metadata key '{key}' is missing (required by '{contract}').");
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ModelLoadException($"Model '{path}': metadata key '{key}' is empty.");
        }

        return value.Trim();
    }

    public int Int(string key, int min, int max = int.MaxValue)
    {
        string text = String(key);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            throw new ModelLoadException($"Model '{path}': metadata '{key}' = '{text}' is not an integer.");
        }

        if (value < min)
        {
            throw new ModelLoadException($"Model '{path}': metadata '{key}' = {value} must be at least {min}.");
        }

        if (value > max)
        {
            throw new ModelLoadException($"Model '{path}': metadata '{key}' = {value} is above the most this runtime takes ({max}).");
        }

        return value;
    }

    public float Float(string key)
    {
        string text = String(key);
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
        {
            throw new ModelLoadException($"Model '{path}': metadata '{key}' = '{text}' is not a finite number.");
        }

        return value;
    }

    public void Expect(string key, string supported)
    {
        string value = String(key);
        if (value != supported)
        {
            throw new ModelLoadException($"Model '{path}': metadata '{key}' = '{value}' is not supported (only '{supported}').");
        }
    }
}
