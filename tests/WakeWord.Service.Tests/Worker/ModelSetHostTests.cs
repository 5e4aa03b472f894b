using WakeWord.Core.Detection;
using WakeWord.Core.Pipeline;
using WakeWord.Service.Hub;
using WakeWord.Service.Options;
using WakeWord.Service.Tests.Events;
using WakeWord.Service.Worker;

namespace WakeWord.Service.Tests.Worker;

/// <summary>The model-set host in process, on the committed tiny model: load, settings changes, reloads, refusals.</summary>
public sealed class ModelSetHostTests : IDisposable
{
    private readonly ModelScratch _scratch = new();
    private readonly RecordingLogger<ModelSetHost> _log = new();
    private readonly ServiceHub _hub;
    private readonly List<WakeEvent> _events = [];
    private readonly List<ModelSetChange> _changes = [];
    private readonly ModelSetHost _host;

    public ModelSetHostTests()
    {
        _scratch.Add("a.onnx", ModelScratch.Tiny);
        _scratch.Add("b.onnx", ModelScratch.Tiny);
        _hub = new ServiceHub(_log); // the hub logs wake events and failing subscribers: one log to read here
        _hub.Events.Subscribe(_events.Add);
        _hub.ModelsReloaded.Subscribe(_changes.Add);
        _host = new ModelSetHost(_scratch.Root, _hub, _log);
    }

    public void Dispose()
    {
        _host.Dispose();
        _hub.Dispose();
        _scratch.Dispose();
    }

    [Fact]
    public void Start_loads_the_named_models_tells_the_hub_and_delivers_their_wake_events()
    {
        RunningModels models = _host.Start(_scratch.Config(("a.onnx", 0.3f)));

        Assert.Equal(16000, models.Infos[0].SampleRate);
        Assert.Equal([0.3f], _hub.Models.Select(m => m.Settings.Threshold));
        Assert.Contains(_log.Lines, l => l.StartsWith("Loaded model", StringComparison.Ordinal) && l.Contains("a.onnx", StringComparison.Ordinal));

        _host.Process(ModelScratch.SpokenWord);
        Assert.NotEmpty(_events);
        Assert.All(_events, e => Assert.Equal("computer", e.Word));
        Assert.Contains(_log.Lines, l => l.StartsWith("Wake word \"computer\" detected", StringComparison.Ordinal));
    }

    [Fact]
    public void New_detector_settings_for_the_same_files_change_the_running_set_in_place()
    {
        RunningModels before = _host.Start(_scratch.Config(("a.onnx", 0.3f)));

        // A threshold no score reaches: the same audio that fired before now stays quiet.
        _host.Apply(_scratch.Config(("a.onnx", 0.999f)));
        _host.Process(ModelScratch.SpokenWord);

        Assert.Same(before, _host.Active);
        Assert.Empty(_events);
        Assert.Equal(0.999f, before.SettingsOf(0).Threshold);
        Assert.Equal([0.999f], _hub.Models.Select(m => m.Settings.Threshold));
        Assert.Contains(_log.Lines, l => l.Contains("threshold 0.3 -> 0.999", StringComparison.Ordinal));
        Assert.Empty(_changes);
    }

    [Fact]
    public void Other_files_load_a_new_set_that_continues_the_stream_and_is_announced()
    {
        RunningModels before = _host.Start(_scratch.Config(("a.onnx", 0.3f)));
        _host.Process(new float[16000]);

        _host.Apply(_scratch.Config(("a.onnx", 0.3f), ("b.onnx", 0.4f)));

        Assert.NotSame(before, _host.Active);
        Assert.Equal(2, _host.Active!.Infos.Length);
        Assert.Equal(16000, _host.SamplesProcessed);
        ModelSetChange change = Assert.Single(_changes);
        Assert.Contains("appsettings.json names other models: a.onnx, b.onnx", change.Message, StringComparison.Ordinal);
        Assert.Equal([0.3f, 0.4f], _hub.Models.Select(m => m.Settings.Threshold));

        _events.Clear(); // the tiny model may fire on the silence before the reload
        _host.Process(ModelScratch.SpokenWord);
        Assert.All(_events, e => Assert.True(e.AudioOffset >= TimeSpan.FromSeconds(1), $"offset {e.AudioOffset} restarted at 0"));
        Assert.NotEmpty(_events);
    }

    [Fact]
    public void A_set_that_does_not_load_is_refused_by_name_and_the_running_set_keeps_listening()
    {
        RunningModels before = _host.Start(_scratch.Config(("a.onnx", 0.3f)));
        _scratch.Add("bad.onnx", ModelScratch.NotWakeWord);

        _host.Apply(_scratch.Config(("bad.onnx", 0.3f)));

        Assert.Same(before, _host.Active);
        Assert.Contains(_log.Lines, l => l.StartsWith("Models not reloaded", StringComparison.Ordinal) && l.Contains("bad.onnx", StringComparison.Ordinal)
            && l.EndsWith("still listening for \"computer\" (a)", StringComparison.Ordinal));
        _host.Process(ModelScratch.SpokenWord);
        Assert.NotEmpty(_events);
    }

    [Fact]
    public void Models_for_another_sample_rate_than_the_stream_are_refused_until_a_restart()
    {
        RunningModels before = _host.Start(_scratch.Config(("a.onnx", 0.3f)));
        _host.BindToStream(8000); // as if the source ran at 8 kHz: the 16 kHz models no longer fit it

        _host.Apply(_scratch.Config(("b.onnx", 0.3f)));

        Assert.Same(before, _host.Active);
        Assert.Contains(_log.Lines, l => l.Contains("the audio source runs at 8000 Hz; restart the service", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_reload_happens_only_when_a_running_file_really_changed()
    {
        ModelsOptions config = _scratch.Config(("a.onnx", 0.3f));
        RunningModels before = _host.Start(config);

        _host.ReloadIfFilesChanged(config);
        Assert.Same(before, _host.Active);

        File.SetLastWriteTimeUtc(_scratch.Add("a.onnx", ModelScratch.Tiny), DateTime.UtcNow.AddMinutes(1));
        _host.ReloadIfFilesChanged(config);

        Assert.NotSame(before, _host.Active);
        Assert.Contains("a.onnx changed on disk", Assert.Single(_changes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_wake_event_subscriber_is_logged_and_detection_goes_on()
    {
        _host.Start(_scratch.Config(("a.onnx", 0.3f)));
        using IDisposable bad = _hub.Events.Subscribe(_ => throw new InvalidOperationException("subscriber bug"));

        _host.Process(ModelScratch.SpokenWord);

        Assert.Contains(_log.Lines, l => l.StartsWith("A wake-event subscriber failed", StringComparison.Ordinal));
    }

    [Fact]
    public void After_dispose_settings_changes_and_file_changes_are_ignored()
    {
        _host.Start(_scratch.Config(("a.onnx", 0.3f)));
        _host.Dispose();
        int lines = _log.Lines.Count;

        _host.Apply(_scratch.Config(("b.onnx", 0.3f)));
        _host.ReloadIfFilesChanged(_scratch.Config(("b.onnx", 0.3f)));

        Assert.Equal(lines, _log.Lines.Count);
        Assert.Empty(_changes);
    }

    [Fact]
    public void Settings_that_a_detector_refuses_are_logged_and_the_old_ones_stay()
    {
        RunningModels before = _host.Start(_scratch.Config(("a.onnx", 0.3f)));

        _host.Apply(_scratch.Config(("a.onnx", 1.5f)));

        Assert.Equal(0.3f, before.SettingsOf(0).Threshold);
        Assert.Contains(_log.Lines, l => l.StartsWith("appsettings.json reloaded with invalid Models values", StringComparison.Ordinal) && l.Contains("1.5", StringComparison.Ordinal));
    }
}
