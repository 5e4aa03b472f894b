using CsCheck;
using WakeWord.Tests.Support;
using Microsoft.Extensions.Configuration;
using WakeWord.Service.Events;
using WakeWord.Service.Options;

namespace WakeWord.Service.Tests.Options;

/// <summary>
/// Random settings (known and unknown keys, list indices, values of every shape): the checker never throws, and when
/// it finds nothing wrong the .NET binder binds every value without throwing or dropping a list entry.
/// </summary>
public sealed class SettingsBinderPropertyTests
{
    private static readonly string[] Keys =
    [
        "Audio:Source", "Audio:RealTime", "Audio:ChunkMilliseconds", "Audio:StdinSampleRate", "Audio:Typo",
        "Models:Directory", "Models:ReloadOnFileChange", "Models:Active:0:Word", "Models:Active:0:Threshold",
        "Models:Active:1:RefractorySeconds", "Models:Active:1:ConsecutiveSteps", "Models:Active:x:Word", "Models:Active",
        "Models:Active:0", "Events:MaxClients", "Events:HeartbeatSeconds", "Events:Enabled", "Events:PipeName:Deep",
    ];

    private static readonly Gen<string> Values = Gen.OneOf(
        Gen.Const(""), Gen.Const("true"), Gen.Const("yes"), Gen.Const("0.5"), Gen.Const("0,5"), Gen.Const("12"),
        Gen.Const("-3"), Gen.Const("1e400"), Gen.Const("NaN"), Gen.Const("99999999999"), Gen.String[0, 12]);

    [Fact]
    public void TheCheckerNeverThrowsAndWhatItPassesBindsWhole() =>
        Gen.Select(Gen.Int[0, Keys.Length - 1], Values).Array[0, 6].Sample(pairs =>
        {
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach ((int k, string v) in pairs)
            {
                data[Keys[k]] = v;
            }

            IConfigurationRoot config = new ConfigurationBuilder().AddInMemoryCollection(data).Build();
            Check<AudioOptions>(config, AudioOptions.SectionName);
            Check<EventsOptions>(config, EventsOptions.SectionName);
            ModelsOptions? models = Check<ModelsOptions>(config, ModelsOptions.SectionName);
            if (models is not null)
            {
                int entries = config.GetSection("Models:Active").GetChildren().Count();
                Assert.Equal(entries, models.Active.Count);
            }
        }, iter: 3000, time: FuzzBudget.Seconds, threads: 1);

    private static T? Check<T>(IConfigurationRoot config, string section)
        where T : class, new()
    {
        IReadOnlyList<string> problems = SettingsBinder.Problems(config.GetSection(section), typeof(T));
        if (problems.Count > 0)
        {
            Assert.All(problems, p => Assert.StartsWith(section, p, StringComparison.Ordinal));
            return null;
        }

        var options = new T();
        config.GetSection(section).Bind(options);
        return options;
    }
}
