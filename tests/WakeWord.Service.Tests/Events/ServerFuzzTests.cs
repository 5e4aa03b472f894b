using System.Text;
using WakeWord.Client.Protocol;

namespace WakeWord.Service.Tests.Events;

/// <summary>Hostile input: the server answers with errors or closes that one connection, and keeps serving everyone.</summary>
public sealed class ServerFuzzTests
{
    [Theory]
    [InlineData("not json", ErrorCodes.MalformedJson)]
    [InlineData("{\"type\":", ErrorCodes.MalformedJson)]
    [InlineData("[1,2,3]", ErrorCodes.MalformedJson)]
    [InlineData("{}", ErrorCodes.MalformedJson)]
    [InlineData("{\"type\":42}", ErrorCodes.MalformedJson)]
    [InlineData("{\"type\":\"ping\"} {\"type\":\"ping\"}", ErrorCodes.MalformedJson)]
    [InlineData("{\"type\":\"shutdown\",\"id\":\"x\"}", ErrorCodes.UnknownCommand)]
    [InlineData("{\"type\":\"subscribe\",\"words\":[]}", ErrorCodes.InvalidArgument)]
    [InlineData("{\"type\":\"subscribe\",\"words\":\"computer\"}", ErrorCodes.InvalidArgument)]
    [InlineData("{\"type\":\"subscribe\",\"words\":[\"\"]}", ErrorCodes.InvalidArgument)]
    public async Task Bad_command_gets_an_error_and_the_connection_stays(string line, string code)
    {
        await using var fixture = new ServerFixture();
        await using RawPipeClient client = await fixture.ConnectAsync();

        await client.SendAsync(line + "\n");
        ErrorMessage error = await client.ReadAsync<ErrorMessage>();
        Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));

        await client.SendAsync("{\"type\":\"ping\",\"id\":\"still-there\"}\n");
        Assert.Equal("still-there", (await client.ReadAsync<PongMessage>()).Id);
    }

    [Fact]
    public async Task Unknown_command_error_echoes_the_id()
    {
        await using var fixture = new ServerFixture();
        await using RawPipeClient client = await fixture.ConnectAsync();
        await client.SendAsync("{\"id\":\"q7\",\"type\":\"reboot\"}\n");
        ErrorMessage error = await client.ReadAsync<ErrorMessage>();
        Assert.Equal(("q7", ErrorCodes.UnknownCommand), (error.Id, error.Code));
        Assert.Contains("reboot", error.Message);
    }

    [Fact]
    public async Task Random_binary_lines_each_get_an_error_and_never_break_the_server()
    {
        await using var fixture = new ServerFixture();
        await using RawPipeClient fuzzer = await fixture.ConnectAsync();
        await using RawPipeClient bystander = await fixture.ConnectAsync();
        await fixture.WaitForClientsAsync(2);

        var random = new Random(1234);
        const int lines = 300;
        var sent = new List<byte>();
        for (int i = 0; i < lines; i++)
        {
            byte[] bytes = new byte[random.Next(1, 200)];
            random.NextBytes(bytes);
            for (int j = 0; j < bytes.Length; j++)
            {
                if (bytes[j] is (byte)'\n' or (byte)'\r')
                {
                    bytes[j] = 0xff; // Keep exactly one line per sample.
                }
            }

            // Half of them start like JSON so the parser gets deeper.
            if (i % 2 == 0)
            {
                bytes[0] = (byte)'{';
            }

            sent.AddRange(bytes);
            sent.Add((byte)'\n');
        }

        await fuzzer.SendAsync([.. sent]);
        for (int i = 0; i < lines; i++)
        {
            ErrorMessage error = await fuzzer.ReadAsync<ErrorMessage>();
            Assert.Equal(ErrorCodes.MalformedJson, error.Code);
        }

        fixture.Server.PublishWake(ServerFixture.Wake());
        Assert.Equal(1, (await fuzzer.ReadAsync<WakeEventMessage>()).Sequence);
        Assert.Equal(1, (await bystander.ReadAsync<WakeEventMessage>()).Sequence);
    }

    [Fact]
    public async Task Invalid_utf8_inside_a_string_is_an_error()
    {
        await using var fixture = new ServerFixture();
        await using RawPipeClient client = await fixture.ConnectAsync();
        byte[] line = [.. "{\"type\":\"p"u8, 0xc3, 0x28, .. "\"}\n"u8];
        await client.SendAsync(line);
        Assert.Equal(ErrorCodes.MalformedJson, (await client.ReadAsync<ErrorMessage>()).Code);
    }

    [Fact]
    public async Task Oversized_line_gets_an_error_then_only_that_connection_closes()
    {
        await using var fixture = new ServerFixture(o => o.MaxLineBytes = 4096);
        await using RawPipeClient attacker = await fixture.ConnectAsync();
        await using RawPipeClient bystander = await fixture.ConnectAsync();
        await fixture.WaitForClientsAsync(2);

        // 4097 bytes without a newline is already too long: the server must not wait for the rest.
        await attacker.SendAsync(Encoding.ASCII.GetBytes(new string('a', 4097)));
        ErrorMessage error = await attacker.ReadAsync<ErrorMessage>();
        Assert.Equal(ErrorCodes.LineTooLong, error.Code);
        Assert.Contains("4096", error.Message);
        Assert.True(await attacker.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));

        await fixture.WaitForClientsAsync(1);
        fixture.Server.PublishWake(ServerFixture.Wake());
        Assert.Equal(1, (await bystander.ReadAsync<WakeEventMessage>()).Sequence);
    }

    [Fact]
    public async Task A_line_of_exactly_the_limit_is_accepted()
    {
        await using var fixture = new ServerFixture(o => o.MaxLineBytes = 256);
        await using RawPipeClient client = await fixture.ConnectAsync();
        string prefix = "{\"type\":\"ping\",\"id\":\"";
        string id = new string('x', 256 - prefix.Length - 2);
        string line = prefix + id + "\"}";
        Assert.Equal(256, line.Length);
        await client.SendAsync(line + "\n");
        Assert.Equal(id, (await client.ReadAsync<PongMessage>()).Id);
    }

    [Fact]
    public async Task Abrupt_disconnects_mid_line_are_cleaned_up()
    {
        await using var fixture = new ServerFixture();
        await using RawPipeClient survivor = await fixture.ConnectAsync();
        for (int i = 0; i < 20; i++)
        {
            RawPipeClient client = await RawPipeClient.ConnectAsync(fixture.Server.PipePath, expectHello: false);
            await client.SendAsync("{\"type\":\"pi");
            await client.DisposeAsync();
        }

        await fixture.WaitForClientsAsync(1);
        fixture.Server.PublishWake(ServerFixture.Wake());
        Assert.Equal(1, (await survivor.ReadAsync<WakeEventMessage>()).Sequence);
    }

    [Fact]
    public async Task Too_many_clients_get_an_error_and_are_closed()
    {
        await using var fixture = new ServerFixture(o => o.MaxClients = 2);
        await using RawPipeClient a = await fixture.ConnectAsync();
        await using RawPipeClient b = await fixture.ConnectAsync();
        await fixture.WaitForClientsAsync(2);

        await using RawPipeClient c = await RawPipeClient.ConnectAsync(fixture.Server.PipePath, expectHello: false);
        Assert.Equal(ErrorCodes.TooManyClients, (await c.ReadAsync<ErrorMessage>()).Code);
        Assert.True(await c.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));

        await a.DisposeAsync();
        await fixture.WaitForClientsAsync(1);
        await using RawPipeClient d = await fixture.ConnectAsync();
    }

    [Fact]
    public async Task A_reconnect_storm_against_a_full_server_logs_one_line_per_ten_seconds_with_the_count()
    {
        var log = new RecordingLogger<WakeWord.Service.Events.EventPipeServer>();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var fixture = new ServerFixture(o => o.MaxClients = 1, logger: log, time: time);
        await using RawPipeClient member = await fixture.ConnectAsync();
        await fixture.WaitForClientsAsync(1);

        for (int i = 0; i < 200; i++)
        {
            await using RawPipeClient refused = await RawPipeClient.ConnectAsync(fixture.Server.PipePath, expectHello: false);
            Assert.Equal(ErrorCodes.TooManyClients, (await refused.ReadAsync<ErrorMessage>()).Code);
        }

        time.Advance(TimeSpan.FromSeconds(10));
        await using (RawPipeClient last = await RawPipeClient.ConnectAsync(fixture.Server.PipePath, expectHello: false))
        {
            Assert.Equal(ErrorCodes.TooManyClients, (await last.ReadAsync<ErrorMessage>()).Code);
        }

        string[] refusals = [.. log.Lines.Where(l => l.StartsWith("Refused an event client", StringComparison.Ordinal))];
        Assert.Equal(2, refusals.Length);
        Assert.Contains("; 0 more refused since the last such line", refusals[0]);
        Assert.Contains("; 199 more refused since the last such line", refusals[1]);
        Assert.Equal(1, fixture.Server.ClientCount);
    }
}
