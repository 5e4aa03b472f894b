using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WakeWord.EndToEnd.Tests.Infrastructure;

namespace WakeWord.EndToEnd.Tests.Cli;

/// <summary>`wakeword tune` on the published CLI: its recommendation checked against `wakeword detect` on the same audio.</summary>
public sealed class TuneCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wakeword-tune-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Ten minutes of room: the real-speech fixture ten times, each at another level (the tiny plumbing model
    /// fires on loud speech at low thresholds, so the false accepts vary with the threshold).</summary>
    private string Room(int copies = 10)
    {
        byte[] pcm = WavData.PcmBytes(RepoPaths.Audio("negatives_long.wav"));
        byte[] room = new byte[pcm.Length * copies];
        for (int c = 0; c < copies; c++)
        {
            double gain = 0.4 + 0.15 * c;
            for (int i = 0; i + 1 < pcm.Length; i += 2)
            {
                double v = BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(i)) * gain;
                BinaryPrimitives.WriteInt16LittleEndian(room.AsSpan(c * pcm.Length + i), (short)Math.Clamp(v, short.MinValue, short.MaxValue));
            }
        }

        string path = Path.Combine(_folder, $"room-{copies}.wav");
        WavData.WriteMono16k(path, room);
        return path;
    }

    private static string[] Own => [RepoPaths.Audio("computer_real_1.wav"), RepoPaths.Audio("computer_real_2.wav"), RepoPaths.Audio("computer_real_3.wav")];

    [Fact]
    public async Task The_recommended_threshold_gives_the_stated_rate_on_the_room_and_the_threshold_below_it_exceeds_the_target()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string room = Room();
        string png = Path.Combine(_folder, "tune.png");
        ProcessResult tune = await apps.RunCliAsync(["tune", "--room", room, "--own", .. Own, "--model", RepoPaths.TinyModel,
            "--target-fa", "30", "--json", "--plot", png]);
        Assert.True(tune.ExitCode == 0, tune.ToString());
        JsonObject result = JsonNode.Parse(Assert.Single(tune.StdoutLines))!.AsObject();
        double hours = (double)result["room_hours"]!;
        Assert.Equal(600.0 / 3600, hours, precision: 4);
        Assert.Equal(5, (int)result["allowed_false_accepts"]!); // 30 per hour over 1/6 h
        Assert.True((bool)result["can_show_target"]!);
        JsonObject chosen = result["recommended"]!.AsObject();
        float threshold = (float)chosen["threshold"]!;

        // The real detector on the same room at that threshold: exactly the stated count, within the target.
        int atChosen = await EventsAsync(apps, room, threshold);
        Assert.Equal((int)chosen["false_accepts"]!, atChosen);
        Assert.InRange(atChosen, 0, 5);
        Assert.Equal(atChosen / hours, (double)chosen["fa_per_hour"]!, precision: 3);

        // It is the lowest: the grid step below it fires more often than the target allows (else it would have been chosen).
        float below = (float)Math.Round(threshold - (threshold > 0.99f ? 0.001f : 0.01f), 3);
        Assert.True(await EventsAsync(apps, room, below) > 5, $"{below} should exceed the target; tune said {tune.Stdout}");

        // The own recordings found at that threshold, as detect sees them one by one (tune feeds 1 s of silence after each).
        int found = 0;
        foreach (string own in Own)
        {
            found += await EventsAsync(apps, PaddedWithSilence(own), threshold) > 0 ? 1 : 0;
        }

        Assert.Equal((int)chosen["hits"]!, found);
        Assert.True(new FileInfo(png).Length > 10_000, "the curve was drawn");
    }

    [Fact]
    public async Task Write_sets_the_threshold_of_the_models_entry_and_keeps_the_rest_of_the_settings()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string settings = Path.Combine(_folder, "appsettings.json");
        File.Copy(Path.Combine(apps.ServiceDirectory, "appsettings.json"), settings);
        string beforeText = File.ReadAllText(settings);
        JsonNode before = JsonNode.Parse(beforeText)!;

        ProcessResult tune = await apps.RunCliAsync("tune", "--room", Room(), "--model", RepoPaths.TinyModel, "--target-fa", "30",
            "--write", settings);
        Assert.True(tune.ExitCode == 0, tune.ToString());
        string recommended = System.Text.RegularExpressions.Regex.Match(tune.Stdout, @"recommended threshold ([0-9.]+):").Groups[1].Value;
        Assert.Contains($"wakeword: wrote Models:Active:0:Threshold = {recommended} to {settings}", tune.Stderr);

        JsonNode after = JsonNode.Parse(File.ReadAllText(settings))!;
        Assert.Equal(double.Parse(recommended, CultureInfo.InvariantCulture), (double)after["Models"]!["Active"]![0]!["Threshold"]!);
        after["Models"]!["Active"]![0]!.AsObject().Remove("Threshold");
        Assert.True(JsonNode.DeepEquals(before, after), "only the threshold changed");
        // And byte for byte: the rest of the file keeps its layout (the one-line "Using" array was spread over lines).
        Assert.Equal(beforeText, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(settings), @",\r?\n\s*""Threshold"": [0-9.]+", ""));
    }

    [Fact]
    public async Task Write_refuses_a_room_too_short_to_show_the_target_and_leaves_the_file_alone()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string settings = Path.Combine(_folder, "appsettings.json");
        File.Copy(Path.Combine(apps.ServiceDirectory, "appsettings.json"), settings);
        string before = File.ReadAllText(settings);

        ProcessResult tune = await apps.RunCliAsync("tune", "--room", RepoPaths.Audio("negatives_long.wav"), "--model", RepoPaths.TinyModel,
            "--write", settings);
        Assert.Equal(1, tune.ExitCode);
        Assert.Contains($"wakeword: {settings} not changed: 0.017 h of the room cannot show 0.5 false accepts per hour; record at least 6 h", tune.Stderr);
        Assert.Contains("note: 0.017 h can show only that the rate is below 180 per hour", tune.Stdout);
        Assert.Equal(before, File.ReadAllText(settings));
    }

    [Fact]
    public async Task Write_refuses_a_settings_file_with_comments_or_without_an_entry_for_the_model()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string room = Room();
        string commented = Path.Combine(_folder, "commented.json");
        File.WriteAllText(commented, "{ // mine\n \"Models\": { \"Active\": [ { \"Word\": \"computer\" } ] } }\n");
        string other = Path.Combine(_folder, "other.json");
        File.WriteAllText(other, "{ \"Models\": { \"Active\": [ { \"Word\": \"jarvis\" } ] } }\n");

        ProcessResult withComments = await apps.RunCliAsync("tune", "--room", room, "--model", RepoPaths.TinyModel, "--target-fa", "30", "--write", commented);
        CliAssert.FailsWith(withComments, 2, $"wakeword: --write: {commented} has comments, which rewriting it would lose; set Models:Active:<n>:Threshold by hand");
        ProcessResult noEntry = await apps.RunCliAsync("tune", "--room", room, "--model", RepoPaths.TinyModel, "--target-fa", "30", "--write", other);
        CliAssert.FailsWith(noEntry, 2, $"wakeword: --write: {other} has no Models:Active entry for \"computer\" (tiny.onnx); add {{\"Word\": \"computer\"}} to the list first");
        Assert.Equal("{ \"Models\": { \"Active\": [ { \"Word\": \"jarvis\" } ] } }\n", File.ReadAllText(other));
    }

    [Fact]
    public async Task Several_models_a_corrupt_room_and_a_bad_target_are_refused_by_name()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string corrupt = Path.Combine(_folder, "corrupt.wav");
        File.WriteAllText(corrupt, "not a wav");

        CliAssert.FailsWith(await apps.RunCliAsync("tune", "--room", RepoPaths.Audio("negatives_long.wav")), 2,
            "wakeword: tune picks a threshold for one model; choose it with --model or --word (found: ");
        ProcessResult bad = await apps.RunCliAsync("tune", "--room", corrupt, "--model", RepoPaths.TinyModel);
        Assert.True(bad.ExitCode == 3, bad.ToString());
        Assert.StartsWith($"wakeword: {corrupt}", bad.Stderr.Trim());
        CliAssert.FailsWith(await apps.RunCliAsync("tune", "--room", corrupt, "--model", RepoPaths.TinyModel, "--target-fa", "0"), 2,
            "wakeword: --target-fa takes a number of false accepts per hour above 0 up to 10000, with '.' as the decimal point; got '0'");
        CliAssert.FailsWith(await apps.RunCliAsync("tune", "--model", RepoPaths.TinyModel), 2, "wakeword: --room is required: give a path to a WAV recording of the room");
    }

    [Fact]
    public async Task Recordings_scored_at_once_give_the_report_of_one_at_a_time_and_list_the_rooms_in_order()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string[] rooms = [Room(3), Room(1), Room(2)];
        string[] Args(string parallel) => ["tune", .. rooms.SelectMany(r => new[] { "--room", r }), "--own", .. Own,
            "--model", RepoPaths.TinyModel, "--target-fa", "30", "--json", "--parallel", parallel];

        ProcessResult serial = await apps.RunCliAsync(Args("1"));
        ProcessResult parallel = await apps.RunCliAsync(Args("3"));

        Assert.True(serial.ExitCode == 0, serial.ToString());
        Assert.True(parallel.ExitCode == 0, parallel.ToString());
        Assert.Equal(serial.Stdout, parallel.Stdout);
        Assert.Equal(serial.StderrLines, parallel.StderrLines);
        Assert.Equal(["room-3.wav", "room-1.wav", "room-2.wav"], parallel.StderrLines.Where(l => l.Contains(": room ", StringComparison.Ordinal))
            .Select(l => l.Split(": ")[2].Split(',')[0]));
        JsonObject result = JsonNode.Parse(Assert.Single(parallel.StdoutLines))!.AsObject();
        Assert.Equal(360.0 / 3600, (double)result["room_hours"]!, precision: 4);
        Assert.Contains(result["rows"]!.AsArray(), r => (int)r!["false_accepts"]! > 0);
    }

    [Fact]
    public async Task A_missing_recording_of_the_word_fails_before_the_room_is_scored()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string missing = Path.Combine(_folder, "me-missing.wav");

        ProcessResult result = await apps.RunCliAsync("tune", "--room", Room(), "--own", RepoPaths.Audio("computer_real_1.wav"), missing,
            "--model", RepoPaths.TinyModel);

        CliAssert.FailsWith(result, 3, missing, "file not found");
        Assert.DoesNotContain("wakeword: room 1/1", result.Stderr, StringComparison.Ordinal);
    }

    private async Task<int> EventsAsync(PublishedApps apps, string wav, float threshold)
    {
        ProcessResult detect = await apps.RunCliAsync("detect", wav, "--model", RepoPaths.TinyModel, "--json",
            "--thresholds", threshold.ToString("0.###", CultureInfo.InvariantCulture));
        Assert.True(detect.ExitCode == 0, detect.ToString());
        return detect.StdoutLines.Count(l => l.Contains("\"type\":\"event\"", StringComparison.Ordinal));
    }

    private string PaddedWithSilence(string wav)
    {
        byte[] pcm = WavData.PcmBytes(wav);
        string path = Path.Combine(_folder, "padded-" + Path.GetFileName(wav));
        WavData.WriteMono16k(path, [.. pcm, .. new byte[32000]]);
        return path;
    }
}
