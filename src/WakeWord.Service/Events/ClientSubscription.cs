using WakeWord.Client.Protocol;

namespace WakeWord.Service.Events;

/// <summary>
/// Which wake events one connection receives: none while paused, else those of its words (every word when it has named
/// none). Its commands change it on the connection's reader; publishers read it on the audio thread.
/// </summary>
internal sealed class ClientSubscription
{
    private volatile bool _paused;
    private volatile HashSet<string>? _words;

    public bool Paused
    {
        get => _paused;
        set => _paused = value;
    }

    /// <summary>Receive only these words from now on; null for every word.</summary>
    public void Choose(IReadOnlyList<string>? words) =>
        _words = words is null ? null : new HashSet<string>(words, StringComparer.Ordinal);

    public bool Wants(string word) => !_paused && (_words is not { } words || words.Contains(word));

    /// <summary>Confirms <paramref name="command"/> with the state after it.</summary>
    public AckMessage Ack(ClientCommand command)
    {
        HashSet<string>? words = _words;
        return new AckMessage(command.Type, command.Id, _paused, words?.Order(StringComparer.Ordinal).ToArray());
    }
}
