namespace WakeWord.Cli.Tune;

/// <summary>One threshold of the sweep: false accepts in the room recordings and hits on the user's own recordings.</summary>
public sealed record TuneRow(float Threshold, int FalseAccepts, double FalseAcceptsPerHour, int Hits, double? Recall);

/// <summary>What `wakeword tune` found and recommends.</summary>
/// <param name="Recommended">The lowest threshold at and above which the room gave no more false accepts than the target allows; null if none did.</param>
/// <param name="AllowedFalseAccepts">The target rate times the room's hours, rounded down: what the recording can show.</param>
/// <param name="ZeroBoundPerHour">With no false accept in the room's hours, the rate is below this (95%): 3 / hours.</param>
public sealed record TuneResult(
    string ModelId,
    string Word,
    double TargetPerHour,
    double RoomHours,
    int RoomFiles,
    int OwnRecordings,
    int AllowedFalseAccepts,
    double ZeroBoundPerHour,
    TuneRow? Recommended,
    IReadOnlyList<TuneRow> Rows)
{
    /// <summary>Whether the room's hours can show the target at all: with no false accept in T hours the rate is only
    /// known to be under 3/T (95%), so T must be at least 3/target.</summary>
    public bool CanShowTarget => ZeroBoundPerHour <= TargetPerHour;

    /// <summary>Room hours needed to show the target rate.</summary>
    public double HoursNeeded => 3 / TargetPerHour;

    /// <summary>
    /// The lowest grid threshold from which every higher one also stays within the allowed count: false accepts do not
    /// always fall with the threshold (refractory time), so the first one under the bar is not enough.
    /// </summary>
    public static TuneRow? Recommend(IReadOnlyList<TuneRow> rows, int allowed)
    {
        TuneRow? best = null;
        for (int i = rows.Count - 1; i >= 0 && rows[i].FalseAccepts <= allowed; i--)
        {
            best = rows[i];
        }

        return best;
    }
}
