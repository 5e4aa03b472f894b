using System.Globalization;
using System.Text;
using System.Text.Json;

namespace WakeWord.Cli.Tune;

/// <summary>`wakeword tune`'s table and recommendation, as text or as one JSON object.</summary>
public static class TuneReport
{
    public static void WriteText(TuneResult r, TextWriter output)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"model {r.ModelId} (\"{r.Word}\"); room: {r.RoomFiles} file(s), {r.RoomHours:0.###} h; own recordings of the word: {r.OwnRecordings}"));
        output.WriteLine("threshold  false accepts  per hour  own recordings found");
        foreach (TuneRow row in r.Rows.Where(row => Shown(row, r.Recommended)))
        {
            string mark = ReferenceEquals(row, r.Recommended) ? "  <- recommended" : "";
            output.WriteLine(string.Create(c, $"  {row.Threshold,-8:0.###} {row.FalseAccepts,13} {row.FalseAcceptsPerHour,9:0.00}  {Recall(row)}{mark}"));
        }

        string target = TuneRunner.Format(r.TargetPerHour);
        if (r.Recommended is { } best)
        {
            output.WriteLine(string.Create(c,
                $"recommended threshold {TuneRunner.Format(best.Threshold)}: {best.FalseAccepts} false accept(s) in {r.RoomHours:0.###} h of the room " +
                $"({best.FalseAcceptsPerHour:0.00} per hour; the target {target} per hour allows {r.AllowedFalseAccepts} in these hours), " +
                $"own recordings found: {Recall(best)}"));
        }
        else
        {
            TuneRow top = r.Rows[^1];
            output.WriteLine(string.Create(c,
                $"no threshold reaches the target of {target} per hour: even {TuneRunner.Format(top.Threshold)} gives {top.FalseAccepts} " +
                $"false accept(s) in {r.RoomHours:0.###} h ({top.FalseAcceptsPerHour:0.00} per hour); this model fires too often in this room"));
        }

        // A short recording cannot show a low rate: with none seen in T hours the rate is only known to be below 3/T.
        if (!r.CanShowTarget)
        {
            output.WriteLine(string.Create(c,
                $"note: {r.RoomHours:0.###} h can show only that the rate is below {r.ZeroBoundPerHour:0.##} per hour (95%, none seen); " +
                $"record at least {r.HoursNeeded:0.#} h of the room to show {target} per hour (--write refuses until then)"));
        }
    }

    public static void WriteJson(TuneResult r, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "tune");
            json.WriteString("model_id", r.ModelId);
            json.WriteString("word", r.Word);
            json.WriteNumber("target_fa_per_hour", r.TargetPerHour);
            json.WriteNumber("room_hours", Math.Round(r.RoomHours, 6));
            json.WriteNumber("room_files", r.RoomFiles);
            json.WriteNumber("own_recordings", r.OwnRecordings);
            json.WriteNumber("allowed_false_accepts", r.AllowedFalseAccepts);
            json.WriteNumber("zero_bound_per_hour", Math.Round(r.ZeroBoundPerHour, 4));
            json.WriteBoolean("can_show_target", r.CanShowTarget);
            json.WritePropertyName("recommended");
            if (r.Recommended is { } best)
            {
                Row(json, best);
            }
            else
            {
                json.WriteNullValue();
            }

            json.WriteStartArray("rows");
            foreach (TuneRow row in r.Rows)
            {
                Row(json, row);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void Row(Utf8JsonWriter json, TuneRow row)
    {
        json.WriteStartObject();
        json.WriteNumber("threshold", Math.Round(row.Threshold, 3));
        json.WriteNumber("false_accepts", row.FalseAccepts);
        json.WriteNumber("fa_per_hour", Math.Round(row.FalseAcceptsPerHour, 4));
        json.WriteNumber("hits", row.Hits);
        if (row.Recall is { } recall)
        {
            json.WriteNumber("recall", Math.Round(recall, 4));
        }
        else
        {
            json.WriteNull("recall");
        }

        json.WriteEndObject();
    }

    private static bool Shown(TuneRow row, TuneRow? recommended)
    {
        int milli = (int)Math.Round(row.Threshold * 1000);
        return ReferenceEquals(row, recommended) || (milli % 50 == 0 && milli < 1000) || milli is 990 or 995 or 999;
    }

    private static string Recall(TuneRow row) => row.Recall is { } recall
        ? string.Create(CultureInfo.InvariantCulture, $"{row.Hits} ({recall:P0})")
        : "-";
}
