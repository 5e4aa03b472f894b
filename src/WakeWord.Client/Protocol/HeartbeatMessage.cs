namespace WakeWord.Client.Protocol;

/// <summary>Sent every heartbeat interval so a client can tell a quiet service from a dead one.</summary>
/// <param name="Time">UTC time on the service.</param>
/// <param name="Sequence">Sequence number of the last wake event the service raised (0 before the first).</param>
/// <param name="Dropped">Lines dropped so far for this connection because its queue was full (the client read too slowly).</param>
public sealed record HeartbeatMessage(DateTimeOffset Time, long Sequence, long Dropped) : ServerMessage;
