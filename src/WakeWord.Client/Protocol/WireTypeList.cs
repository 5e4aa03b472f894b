using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace WakeWord.Client.Protocol;

/// <summary>
/// One side's lines as the wire names them, read once from the <c>[JsonDerivedType]</c> list on their root
/// (<see cref="ClientCommand"/> or <see cref="ServerMessage"/>): the "type" of each record, in the list's order, and the
/// serializer that reads a line of that type as that record.
/// </summary>
internal sealed class WireTypeList
{
    private readonly Dictionary<string, JsonTypeInfo> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _names = [];

    public WireTypeList(JsonTypeInfo root, JsonSerializerOptions options)
    {
        var names = new List<string>();
        foreach (System.Text.Json.Serialization.Metadata.JsonDerivedType derived in root.PolymorphismOptions!.DerivedTypes)
        {
            string name = (string)derived.TypeDiscriminator!;
            _byName.Add(name, options.GetTypeInfo(derived.DerivedType));
            _names.Add(derived.DerivedType, name);
            names.Add(name);
        }

        Names = names;
    }

    /// <summary>Every "type", in the order of the list.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The "type" of a record, or null when it is not on the list.</summary>
    public string? NameOf(Type type) => _names.GetValueOrDefault(type);

    /// <summary>The serializer for lines of this "type"; false for a type not on the list.</summary>
    public bool TryGet(string name, out JsonTypeInfo info) => _byName.TryGetValue(name, out info!);
}
