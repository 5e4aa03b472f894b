using System.Text;
using WakeWord.Client.Protocol;

namespace WakeWord.Client.Tests.Protocol;

public sealed class ProtocolCodecTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 25, 10, 20, 30, 250, TimeSpan.Zero);

    public static TheoryData<ServerMessage> ServerMessages() =>
    [
        new HelloMessage(1, "0.1.0", ["computer", "activate"], 5000, 4096),
        new WakeEventMessage(42, "computer", "computer", 0.93f, 0.62f, Time, 12.34),
        new StatusEvent(StatusKinds.DeviceLost, "mic gone", Time),
        new StatusEvent(StatusKinds.ModelReloaded, "reloaded", Time, ["computer"]),
        new HeartbeatMessage(Time, 42, 3),
        new PongMessage("x", Time),
        new AckMessage("subscribe", null, false, ["computer"]),
        new ErrorMessage(ErrorCodes.UnknownCommand, "nope", "id1"),
        new HelloMessage(1, "0.2.0", ["computer"], 5000, 4096) { Commands = MessageTypes.Commands },
        new ServiceStatusMessage("s1", Time, "0.2.0", Time.AddHours(-2), 7200, new SourceStatus("listening", true, "listening on stdin", Time),
            [new ModelStatus("computer", "computer", 0.56f, 1, 1.0, "/opt/wakeword/models/computer.onnx")], 7190.5,
            new Dictionary<string, long> { ["computer"] = 3 }, new LastWake("computer", "computer", 0.93f, Time), 2, 0,
            new ProcessStatus(90_000_000, 4_000_000, 12_000_000, [3, 1, 0], 18, 40)),
        new ServiceStatusMessage(null, Time, "0.2.0", Time, 0, new SourceStatus("starting", false, "not yet", null), [], 0,
            new Dictionary<string, long>(), null, 1, 0),
    ];

    [Theory]
    [MemberData(nameof(ServerMessages))]
    public void Server_messages_round_trip_as_one_line(ServerMessage message)
    {
        byte[] line = ProtocolCodec.EncodeLine(message);
        Assert.Equal((byte)'\n', line[^1]);
        Assert.Equal(1, line.Count(b => b == (byte)'\n'));
        Assert.True(ProtocolCodec.TryDecodeServer(line.AsSpan(0, line.Length - 1), out ServerMessage? decoded, out ErrorMessage? error), error?.Message);

        // Records with lists compare by reference: compare the JSON instead.
        Assert.Equal(message.GetType(), decoded!.GetType());
        Assert.Equal(Encoding.UTF8.GetString(line), Encoding.UTF8.GetString(ProtocolCodec.EncodeLine(decoded)));
    }

    [Fact]
    public void Wake_event_wire_format_is_snake_case_with_type_first()
    {
        string json = Encoding.UTF8.GetString(ProtocolCodec.EncodeLine(new WakeEventMessage(7, "computer", "computer", 0.5f, 0.25f, Time, 1.5)));
        Assert.Equal(
            "{\"type\":\"wake\",\"sequence\":7,\"word\":\"computer\",\"model_id\":\"computer\",\"score\":0.5,\"threshold\":0.25," +
            "\"time\":\"2026-11-25T10:20:30.25+00:00\",\"audio_offset_s\":1.5}\n",
            json);
    }

    [Fact]
    public void Text_is_escaped_only_where_json_requires_it()
    {
        string json = Encoding.UTF8.GetString(ProtocolCodec.EncodeLine(new ErrorMessage("x", "it's 1+1 \"ok\" <b> ü\n")));
        Assert.Equal("{\"type\":\"error\",\"code\":\"x\",\"message\":\"it's 1+1 \\\"ok\\\" <b> ü\\n\"}\n", json);
    }

    [Fact]
    public void Commands_round_trip_and_type_may_come_anywhere()
    {
        Assert.Equal("{\"type\":\"subscribe\",\"words\":[\"computer\"],\"id\":\"s\"}\n",
            Encoding.UTF8.GetString(ProtocolCodec.EncodeLine(new SubscribeCommand(["computer"]) { Id = "s" })));
        Assert.True(ProtocolCodec.TryDecodeCommand("{\"words\":[\"a\",\"b\"],\"extra\":{\"x\":[1]},\"type\":\"subscribe\"}"u8, out ClientCommand? command, out _));
        Assert.Equal(["a", "b"], Assert.IsType<SubscribeCommand>(command).Words);
        Assert.True(ProtocolCodec.TryDecodeCommand("{\"type\":\"ping\",\"id\":\"7\"}"u8, out command, out _));
        Assert.Equal("7", Assert.IsType<PingCommand>(command).Id);
        Assert.True(ProtocolCodec.TryDecodeCommand("{\"type\":\"status\",\"id\":\"q\"}"u8, out command, out _));
        Assert.Equal("q", Assert.IsType<StatusCommand>(command).Id);
        Assert.Equal("{\"type\":\"status\",\"id\":\"q\"}\n", Encoding.UTF8.GetString(ProtocolCodec.EncodeLine(new StatusCommand { Id = "q" })));
    }

    [Fact]
    public void The_list_on_ClientCommand_is_what_the_codec_and_the_hello_know()
    {
        ClientCommand[] commands = [new PingCommand(), new PauseCommand(), new ResumeCommand(), new SubscribeCommand(null), new StatusCommand()];
        Assert.Equal(["ping", "pause", "resume", "subscribe", "status"], commands.Select(c => c.Type));
        Assert.Equal(commands.Select(c => c.Type), MessageTypes.Commands);
        foreach (ClientCommand command in commands)
        {
            ClientCommand sent = command with { Id = "i" };
            string line = Encoding.UTF8.GetString(ProtocolCodec.EncodeLine(sent));
            Assert.StartsWith($"{{\"type\":\"{command.Type}\"", line, StringComparison.Ordinal);
            Assert.True(ProtocolCodec.TryDecodeCommand(Encoding.UTF8.GetBytes(line.TrimEnd('\n')), out ClientCommand? decoded, out ErrorMessage? error), error?.Message);
            Assert.Equal(sent, decoded);
        }
    }

    [Fact]
    public void A_line_that_is_not_on_the_lists_is_not_encoded()
    {
        Assert.Throws<ArgumentException>(() => ProtocolCodec.EncodeLine(new UnknownMessage("metrics")));
        Assert.Equal("metrics", new UnknownMessage("metrics").Type);
    }

    [Fact]
    public void A_status_answer_uses_the_documented_field_names()
    {
        string json = Encoding.UTF8.GetString(ProtocolCodec.EncodeLine(new ServiceStatusMessage("s", Time, "1", Time, 1.5,
            new SourceStatus("listening", true, "m", Time), [new ModelStatus("c", "computer", 0.5f, 2, 0.9, "/m.onnx")], 1.25,
            new Dictionary<string, long> { ["computer"] = 1 }, new LastWake("computer", "c", 0.75f, Time), 1, 0,
            new ProcessStatus(90_000_000, 4_000_000, 12_000_000, [3, 1, 0], 18, 40))));
        foreach (string? field in new[] { "\"type\":\"service_status\"", "\"uptime_s\":1.5", "\"audio_processed_s\":1.25",
                     "\"consecutive_steps\":2", "\"refractory_s\":0.9", "\"events\":{\"computer\":1}", "\"last_event\":{",
                     "\"model_id\":\"c\"", "\"clients\":1", "\"dropped\":0",
                     "\"process\":{\"resident_bytes\":90000000,\"managed_heap_bytes\":4000000,\"allocated_bytes\":12000000,\"gc_collections\":[3,1,0],\"threads\":18,\"handles\":40}", "\"source\":{\"state\":\"listening\",\"listening\":true" })
        {
            Assert.Contains(field, json);
        }
    }

    [Theory]
    [InlineData("", ErrorCodes.MalformedJson)]
    [InlineData("   ", ErrorCodes.MalformedJson)]
    [InlineData("null", ErrorCodes.MalformedJson)]
    [InlineData("\"ping\"", ErrorCodes.MalformedJson)]
    [InlineData("{\"type\":\"ping\"", ErrorCodes.MalformedJson)]
    [InlineData("{\"type\":null}", ErrorCodes.MalformedJson)]
    [InlineData("{\"type\":\"ping\",}", ErrorCodes.MalformedJson)]
    [InlineData("{\"type\":\"ping\"} x", ErrorCodes.MalformedJson)]
    [InlineData("{\"type\":\"PING\"}", ErrorCodes.UnknownCommand)]
    [InlineData("{\"type\":\"wake\"}", ErrorCodes.UnknownCommand)]
    [InlineData("{\"type\":\"subscribe\",\"words\":[1]}", ErrorCodes.InvalidArgument)]
    [InlineData("{\"type\":\"ping\",\"id\":5}", ErrorCodes.InvalidArgument)]
    public void Bad_commands_give_the_right_error(string line, string code)
    {
        Assert.False(ProtocolCodec.TryDecodeCommand(Encoding.UTF8.GetBytes(line), out ClientCommand? command, out ErrorMessage? error));
        Assert.Null(command);
        Assert.Equal(code, error!.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Deep_nesting_is_rejected_without_throwing()
    {
        string line = "{\"type\":\"ping\",\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}";
        Assert.False(ProtocolCodec.TryDecodeCommand(Encoding.UTF8.GetBytes(line), out _, out ErrorMessage? error));
        Assert.Equal(ErrorCodes.MalformedJson, error!.Code);
    }

    [Fact]
    public void Error_preview_escapes_binary()
    {
        Assert.False(ProtocolCodec.TryDecodeCommand([0x00, 0xff, (byte)'a'], out _, out ErrorMessage? error));
        Assert.Contains("\\x00\\xffa", error!.Message);
    }

    [Fact]
    public void Unknown_server_type_is_kept_for_forward_compatibility()
    {
        Assert.True(ProtocolCodec.TryDecodeServer("{\"type\":\"metrics\",\"cpu\":3}"u8, out ServerMessage? message, out _));
        Assert.Equal("metrics", Assert.IsType<UnknownMessage>(message).Type);
    }
}
