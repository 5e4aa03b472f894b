using ScottPlot;
using ScottPlot.Plottables;
using WakeWord.Core.Detection;
using WakeWord.Core.FrontEnds.LogMel;
using WakeWord.Core.Scoring;

namespace WakeWord.Cli.Detect;

/// <summary>
/// Collects what `wakeword detect --plot` draws while the input runs: every model's per-step probability, the audio
/// level per feature hop, and the events; then saves one PNG with ScottPlot. The picture shows what a threshold
/// choice does on this input: where the probability rises, how far it stays from the dashed threshold lines, and
/// which peaks fired. Not on the service's audio path, so plain lists are fine here.
/// </summary>
public sealed class ProbabilityPlot
{
    private const double FloorDb = -60;
    private readonly ModelInfo[] _models;
    private readonly StepTiming[] _clocks;
    private readonly List<double>[] _probabilities;
    private readonly List<double> _levels = [];
    private readonly List<WakeEvent> _events = [];
    private readonly int _hop;
    private readonly SpectrogramCollector _spectrogram;
    private readonly string _inputLabel;
    private double _energy;
    private int _inHop;

    /// <param name="models">The models whose probabilities are drawn.</param>
    /// <param name="spectrogram">The log-mel definition of the lower panel: a log-mel model's own input, or a display one.</param>
    public ProbabilityPlot(IReadOnlyList<ModelInfo> models, FeatureSpec spectrogram)
    {
        _models = [.. models];
        _clocks = [.. models.Select(m => m.Timing)];
        _probabilities = [.. models.Select(_ => new List<double>())];
        _hop = spectrogram.HopSamples;
        _spectrogram = new SpectrogramCollector(spectrogram);
        _inputLabel = models.All(m => m.FrontEnd == LogMelFrontEnd.SpecOf(spectrogram)) ? "mel bin (model input)" : "mel bin (log-mel, for display)";
    }

    public void AddProbability(int model, long step, float probability)
    {
        // Steps arrive in order from 0, so the index is the step.
        _probabilities[model].Add(probability);
    }

    public void AddEvent(WakeEvent wakeEvent) => _events.Add(wakeEvent);

    /// <summary>Audio as it is scored: one level point (RMS in dBFS) per feature hop.</summary>
    public void AddAudio(ReadOnlySpan<float> samples)
    {
        _spectrogram.Add(samples);
        foreach (float sample in samples)
        {
            _energy += sample * sample;
            if (++_inHop == _hop)
            {
                double rms = Math.Sqrt(_energy / _hop);
                _levels.Add(Math.Max(FloorDb, 20 * Math.Log10(Math.Max(rms, 1e-10))));
                _energy = 0;
                _inHop = 0;
            }
        }
    }

    /// <summary>Draws the picture and writes it as a PNG.</summary>
    /// <param name="thresholds">Per model, the thresholds its detectors use.</param>
    public void Save(string path, string title, IReadOnlyList<IReadOnlyList<float>> thresholds, int width = 1200, int height = 800)
    {
        // Two panels on one time axis: the probabilities on top, what the model heard (its log-mel input) below.
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        Plot plot = multiplot.GetPlot(0);
        Plot heard = multiplot.GetPlot(1);
        double hopSeconds = (double)_hop / _spectrogram.Spec.SampleRate;
        if (_levels.Count > 0)
        {
            // The level mapped onto the probability axis: FloorDb..0 dBFS as 0..1, drawn faintly behind the models.
            double[] scaled = [.. _levels.Select(db => (db - FloorDb) / -FloorDb)];
            Signal level = plot.Add.Signal(scaled, hopSeconds);
            level.Data.XOffset = hopSeconds;
            level.Color = Colors.Gray.WithAlpha(0.45);
            level.LineWidth = 1;
            level.LegendText = $"audio level ({FloorDb:F0}..0 dBFS)";
        }

        IPalette palette = new ScottPlot.Palettes.Category10();
        // Two models' lines at the same threshold lie on top of each other: each later one gets a pattern of its own
        // (dashed, dotted, densely dashed), so the colour of every model shows through the gaps of the others.
        LinePattern[] patterns = [LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];
        var drawnAt = new Dictionary<float, int>();
        bool wordsTellModelsApart = _models.Select(i => i.Word).Distinct().Count() == _models.Length;
        for (int m = 0; m < _models.Length; m++)
        {
            Color color = palette.GetColor(m);
            string name = wordsTellModelsApart ? $"\"{_models[m].Word}\" ({_models[m].Id})" : _models[m].Id;
            if (_probabilities[m].Count > 0)
            {
                Signal line = plot.Add.Signal(_probabilities[m].ToArray(), _clocks[m].StepSeconds);
                line.Data.XOffset = _clocks[m].SecondsAvailable(0);
                line.Color = color;
                line.LineWidth = 1.5f;
                line.LegendText = $"{name} probability";
            }

            foreach (float threshold in thresholds[m])
            {
                int before = drawnAt.GetValueOrDefault(threshold);
                drawnAt[threshold] = before + 1;
                HorizontalLine rule = plot.Add.HorizontalLine(threshold);
                rule.Color = color.WithAlpha(0.8);
                rule.LinePattern = patterns[before % patterns.Length];
                rule.LineWidth = 1;
                rule.LegendText = FormattableString.Invariant($"{name} threshold {threshold:0.###}");
            }

            WakeEvent[] fired = [.. _events.Where(e => e.ModelId == _models[m].Id)];
            if (fired.Length > 0)
            {
                double[] times = [.. fired.Select(e => e.AudioOffset.TotalSeconds)];
                double[] scores = [.. fired.Select(e => (double)e.Score)];
                Markers marks = plot.Add.Markers(
                    times,
                    scores,
                    MarkerShape.FilledCircle,
                    9,
                    color);
                marks.LegendText = $"{name} events ({fired.Length})";
            }
        }

        plot.Title(title);
        plot.YLabel("trigger probability");
        plot.Axes.SetLimitsY(0, 1.05);
        plot.ShowLegend(Alignment.UpperRight);
        DrawSpectrogram(heard);

        // The same time range and the same left margin in both panels, so a moment lines up across them.
        double end = (double)_levels.Count * _hop / _spectrogram.Spec.SampleRate;
        foreach (Plot panel in new[] { plot, heard })
        {
            panel.Axes.SetLimitsX(0, Math.Max(end, 0.1));
            panel.Axes.Left.MinimumSize = 80;
            panel.Axes.Left.MaximumSize = 80;
            panel.Axes.Right.MinimumSize = 20;
            panel.Axes.Right.MaximumSize = 20;
        }

        multiplot.SharedAxes.ShareX([plot, heard]);
        multiplot.SavePng(path, width, height);
    }

    private void DrawSpectrogram(Plot heard)
    {
        IReadOnlyList<float[]> columns = _spectrogram.Columns;
        FeatureSpec spec = _spectrogram.Spec;
        heard.XLabel("seconds from the start of the input");
        heard.YLabel(_inputLabel);
        if (columns.Count == 0)
        {
            return;
        }

        int bins = spec.MelBins;
        double[,] values = new double[bins, columns.Count];
        for (int c = 0; c < columns.Count; c++)
        {
            for (int b = 0; b < bins; b++)
            {
                values[bins - 1 - b, c] = columns[c][b]; // row 0 is drawn at the top: the highest bin
            }
        }

        Heatmap map = heard.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        double secondsPerColumn = (double)spec.HopSamples * _spectrogram.FramesPerColumn / spec.SampleRate;
        double start = (double)spec.WindowSamples / spec.SampleRate; // a frame is there once its window is
        map.Extent = new CoordinateRect(start, start + columns.Count * secondsPerColumn, 0, bins);
        heard.Axes.SetLimitsY(0, bins);
        // No colour bar: it would narrow this panel, and the two time axes must line up pixel for pixel.
    }
}
