namespace WakeWord.Client.Protocol;

/// <summary>Chooses which words' wake events this connection receives. Null (or absent) means all words; an empty list is an error.</summary>
public sealed record SubscribeCommand(IReadOnlyList<string>? Words) : ClientCommand
{
    public override string? Problem() => Words is { } words && (words.Count == 0 || words.Any(string.IsNullOrWhiteSpace))
        ? "subscribe needs a non-empty list of non-empty words in \"words\" (or no \"words\" for all words)."
        : null;
}
