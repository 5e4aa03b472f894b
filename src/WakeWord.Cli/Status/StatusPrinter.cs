using System.Globalization;
using WakeWord.Client.Protocol;

namespace WakeWord.Cli.Status;

/// <summary>The text form of a <see cref="ServiceStatusMessage"/>: one fact per line, the way an administrator reads it.</summary>
public static class StatusPrinter
{
    public static void Print(ServiceStatusMessage s, string pipePath, TextWriter output)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        output.WriteLine($"wake-word service {s.ServiceVersion} on {pipePath}");
        output.WriteLine($"  up:      {Duration(s.UptimeS)} (since {s.Started.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", c)})");
        string since = s.Source.Since is { } t ? $" (since {t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", c)})" : "";
        output.WriteLine($"  source:  {s.Source.State}{(s.Source.Listening ? "" : ", NOT listening")}: {s.Source.Message}{since}");
        output.WriteLine($"  audio:   {Duration(s.AudioProcessedS)} processed");
        output.WriteLine($"  models:  {s.Models.Count}");
        foreach (ModelStatus m in s.Models)
        {
            output.WriteLine(string.Create(c, $"    {m.Id} (\"{m.Word}\"): threshold {m.Threshold:0.###}, {m.ConsecutiveSteps} step(s), refractory {m.RefractoryS:0.##} s, {m.File}"));
        }

        long total = s.Events.Values.Sum();
        string perWord = total == 0 ? "" : " (" + string.Join(", ", s.Events.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value}")) + ")";
        output.WriteLine($"  events:  {total}{perWord}");
        output.WriteLine(s.LastEvent is { } last
            ? string.Create(c, $"  last:    {last.Word} score {last.Score:0.000} by {last.ModelId} at {last.Time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}")
            : "  last:    none yet");
        output.WriteLine($"  clients: {s.Clients} (this one included), {s.Dropped} line(s) dropped for slow clients");
        if (s.Process is { } p)
        {
            output.WriteLine(string.Create(c, $"  process: {p.ResidentBytes / 1048576.0:0.0} MB resident, managed heap {p.ManagedHeapBytes / 1048576.0:0.0} MB, " +
                $"GCs {string.Join('/', p.GcCollections)} (gen 0/1/2), {p.Threads} threads, {p.Handles} handles"));
        }
    }

    /// <summary>"3 d 4 h", "2 h 5 min", "4 min 12 s", "7.5 s".</summary>
    public static string Duration(double seconds)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var t = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return t.TotalDays >= 1 ? string.Create(c, $"{(int)t.TotalDays} d {t.Hours} h")
            : t.TotalHours >= 1 ? string.Create(c, $"{(int)t.TotalHours} h {t.Minutes} min")
            : t.TotalMinutes >= 1 ? string.Create(c, $"{(int)t.TotalMinutes} min {t.Seconds} s")
            : string.Create(c, $"{seconds:0.#} s");
    }
}
