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
    private readonly ModelScratch scratch = new();
    private readonly WakeEventHub hub = new();
    private readonly RecordingLogger<ModelSetHost> log = new();
    private readonly List<WakeEvent> events = [];
    private readonly List<ModelSetChange> changes = [];
    private readonly ModelSetHost host;

    public ModelSetHostTests()
    {
        scratch.Add("a.onnx", ModelScratch.Tiny);
        scratch.Add("b.onnx", ModelScratch.Tiny);
        hub.Events.Subscribe(events.Add);
        hub.ModelsReloaded.Subscribe(changes.Add);
        host = new ModelSetHost(scratch.Root, hub, log);
    }

    public void Dispose()
    {
        host.Dispose();
        hub.Dispose();
        scratch.Dispose();
    }

    [Fact]
    public void Start_loads_the_named_models_tells_the_hub_and_delivers_their_wake_events()
    {
        RunningModels models = host.Start(scratch.Config(("a.onnx", 0.3f)));

        Assert.Equal(16000, models.Infos[0].Features.SampleRate);
        Assert.Equal([0.3f], hub.Models.Select(m => m.Settings.Threshold));
        Assert.Contains(log.Lines, l => l.StartsWith("Loaded model", StringComparison.Ordinal) && l.Contains("a.onnx", StringComparison.Ordinal));

        host.Process(ModelScratch.SpokenWord);
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal("computer", e.Word));
        Assert.Contains(log.Lines, l => l.StartsWith("Wake word \"computer\" detected", StringComparison.Ordinal));
    }

    [Fact]
    public void New_detector_settings_for_the_same_files_change_the_running_set_in_place()
    {
        RunningModels before = host.Start(scratch.Config(("a.onnx", 0.3f)));

        // A threshold no score reaches: the same audio that fired before now stays quiet.
        host.Apply(scratch.Config(("a.onnx", 0.999f)));
        host.Process(ModelScratch.SpokenWord);

        Assert.Same(before, host.Active);
        Assert.Empty(events);
        Assert.Equal(0.999f, before.Settings[0].Threshold);
        Assert.Equal([0.999f], hub.Models.Select(m => m.Settings.Threshold));
        Assert.Contains(log.Lines, l => l.Contains("threshold 0.3 -> 0.999", StringComparison.Ordinal));
        Assert.Empty(changes);
    }

    [Fact]
    public void Other_files_load_a_new_set_that_continues_the_stream_and_is_announced()
    {
        RunningModels before = host.Start(scratch.Config(("a.onnx", 0.3f)));
        host.Process(new float[16000]);

        host.Apply(scratch.Config(("a.onnx", 0.3f), ("b.onnx", 0.4f)));

        Assert.NotSame(before, host.Active);
        Assert.Equal(2, host.Active!.Infos.Length);
        Assert.Equal(16000, host.SamplesProcessed);
        ModelSetChange change = Assert.Single(changes);
        Assert.Contains("appsettings.json names other models: a.onnx, b.onnx", change.Message, StringComparison.Ordinal);
        Assert.Equal([0.3f, 0.4f], hub.Models.Select(m => m.Settings.Threshold));

        events.Clear(); // the tiny model may fire on the silence before the reload
        host.Process(ModelScratch.SpokenWord);
        Assert.All(events, e => Assert.True(e.AudioOffset >= TimeSpan.FromSeconds(1), $"offset {e.AudioOffset} restarted at 0"));
        Assert.NotEmpty(events);
    }

    [Fact]
    public void A_set_that_does_not_load_is_refused_by_name_and_the_running_set_keeps_listening()
    {
        RunningModels before = host.Start(scratch.Config(("a.onnx", 0.3f)));
        scratch.Add("bad.onnx", ModelScratch.NotWakeWord);

        host.Apply(scratch.Config(("bad.onnx", 0.3f)));

        Assert.Same(before, host.Active);
        Assert.Contains(log.Lines, l => l.StartsWith("Models not reloaded", StringComparison.Ordinal) && l.Contains("bad.onnx", StringComparison.Ordinal)
            && l.EndsWith("still listening for \"computer\" (a)", StringComparison.Ordinal));
        host.Process(ModelScratch.SpokenWord);
        Assert.NotEmpty(events);
    }

    [Fact]
    public void Models_for_another_sample_rate_than_the_stream_are_refused_until_a_restart()
    {
        RunningModels before = host.Start(scratch.Config(("a.onnx", 0.3f)));
        host.BindToStream(8000); // as if the source ran at 8 kHz: the 16 kHz models no longer fit it

        host.Apply(scratch.Config(("b.onnx", 0.3f)));

        Assert.Same(before, host.Active);
        Assert.Contains(log.Lines, l => l.Contains("the audio source runs at 8000 Hz; restart the service", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_reload_happens_only_when_a_running_file_really_changed()
    {
        ModelsOptions config = scratch.Config(("a.onnx", 0.3f));
        RunningModels before = host.Start(config);

        host.ReloadIfFilesChanged(config);
        Assert.Same(before, host.Active);

        File.SetLastWriteTimeUtc(scratch.Add("a.onnx", ModelScratch.Tiny), DateTime.UtcNow.AddMinutes(1));
        host.ReloadIfFilesChanged(config);

        Assert.NotSame(before, host.Active);
        Assert.Contains("a.onnx changed on disk", Assert.Single(changes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_wake_event_subscriber_is_logged_and_detection_goes_on()
    {
        host.Start(scratch.Config(("a.onnx", 0.3f)));
        using IDisposable bad = hub.Events.Subscribe(_ => throw new InvalidOperationException("subscriber bug"));

        host.Process(ModelScratch.SpokenWord);

        Assert.Contains(log.Lines, l => l.StartsWith("A wake-event subscriber failed", StringComparison.Ordinal));
    }

    [Fact]
    public void After_dispose_settings_changes_and_file_changes_are_ignored()
    {
        host.Start(scratch.Config(("a.onnx", 0.3f)));
        host.Dispose();
        int lines = log.Lines.Count;

        host.Apply(scratch.Config(("b.onnx", 0.3f)));
        host.ReloadIfFilesChanged(scratch.Config(("b.onnx", 0.3f)));

        Assert.Equal(lines, log.Lines.Count);
        Assert.Empty(changes);
    }

    [Fact]
    public void Settings_that_a_detector_refuses_are_logged_and_the_old_ones_stay()
    {
        RunningModels before = host.Start(scratch.Config(("a.onnx", 0.3f)));

        host.Apply(scratch.Config(("a.onnx", 1.5f)));

        Assert.Equal(0.3f, before.Settings[0].Threshold);
        Assert.Contains(log.Lines, l => l.StartsWith("appsettings.json reloaded with invalid Models values", StringComparison.Ordinal) && l.Contains("1.5", StringComparison.Ordinal));
    }
}
