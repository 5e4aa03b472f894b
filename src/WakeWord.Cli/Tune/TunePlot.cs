using ScottPlot;
using ScottPlot.Plottables;

namespace WakeWord.Cli.Tune;

/// <summary>The sweep as a picture: false accepts per hour in the room (log scale) and the share of the user's own
/// recordings found, against the threshold, with the target and the recommendation marked.</summary>
public static class TunePlot
{
    public static void Save(TuneResult r, string path, int width = 1000, int height = 520)
    {
        var plot = new Plot();
        double[] thresholds = [.. r.Rows.Select(x => (double)x.Threshold)];

        // Log axis by hand (ScottPlot 5 plots log10 of the data with log tick labels); a zero rate sits at the floor.
        double floor = Math.Min(r.TargetPerHour, r.ZeroBoundPerHour) / 10;
        double[] fa = [.. r.Rows.Select(x => Math.Log10(Math.Max(x.FalseAcceptsPerHour, floor)))];
        Scatter faLine = plot.Add.Scatter(thresholds, fa);
        faLine.LegendText = "room: false accepts per hour (log; none = bottom)";
        faLine.Color = Colors.C0;
        faLine.MarkerSize = 0;
        faLine.LineWidth = 2;
        HorizontalLine target = plot.Add.HorizontalLine(Math.Log10(r.TargetPerHour));
        target.LinePattern = LinePattern.Dashed;
        target.Color = Colors.C0.WithAlpha(0.7);
        target.LegendText = $"target {TuneRunner.Format(r.TargetPerHour)} per hour";
        // Decade ticks, and "none" at the floor where the room gave no false accept.
        int lo = (int)Math.Floor(Math.Log10(floor)), hi = (int)Math.Ceiling(Math.Max(fa.Max(), Math.Log10(r.TargetPerHour)));
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        ticks.AddMajor(Math.Log10(floor), "none");
        for (int d = lo + 1; d <= hi; d++)
        {
            ticks.AddMajor(d, TuneRunner.Format(Math.Pow(10, d)));
        }

        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimitsY(Math.Log10(floor) - 0.2, hi + 0.2, plot.Axes.Left);
        plot.Axes.Left.Label.Text = "false accepts per hour in the room";

        if (r.OwnRecordings > 0)
        {
            Scatter recall = plot.Add.Scatter(thresholds, [.. r.Rows.Select(x => 100 * (x.Recall ?? 0))]);
            recall.Axes.YAxis = plot.Axes.Right;
            recall.LegendText = $"own recordings found, % (of {r.OwnRecordings})";
            recall.Color = Colors.C1;
            recall.MarkerSize = 0;
            recall.LineWidth = 2;
            plot.Axes.Right.Label.Text = "own recordings found (%)";
            plot.Axes.SetLimitsY(0, 105, plot.Axes.Right);
        }

        if (r.Recommended is { } best)
        {
            VerticalLine chosen = plot.Add.VerticalLine(best.Threshold);
            chosen.Color = Colors.Black;
            chosen.LegendText = $"recommended {TuneRunner.Format(best.Threshold)}";
        }

        plot.Title($"wakeword tune: {r.ModelId} (\"{r.Word}\"), {r.RoomHours:0.##} h of room audio");
        plot.XLabel("threshold");
        plot.Axes.SetLimitsX(0, 1);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, width, height);
    }
}
