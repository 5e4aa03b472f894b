using Microsoft.Extensions.Configuration;
using WakeWord.Service.Events;
using WakeWord.Service.Options;

namespace WakeWord.Service.Tests.Options;

public sealed class SettingsBinderTests
{
    private static IConfigurationRoot Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static IReadOnlyList<string> ModelsProblems(params (string, string)[] values) =>
        SettingsBinder.Problems(Config(values).GetSection(ModelsOptions.SectionName), typeof(ModelsOptions));

    [Theory]
    [InlineData("Models:Active:0:Threshold", "abc", "Models:Active:0:Threshold = 'abc' is not a number")]
    [InlineData("Models:Active:0:Threshold", "0,5", "Models:Active:0:Threshold = '0,5' is not a number")]
    [InlineData("Models:Active:0:RefractorySeconds", "1s", "Models:Active:0:RefractorySeconds = '1s' is not a number")]
    [InlineData("Models:Active:0:ConsecutiveSteps", "2.5", "Models:Active:0:ConsecutiveSteps = '2.5' is not a whole number")]
    [InlineData("Models:ReloadOnFileChange", "yes", "Models:ReloadOnFileChange = 'yes' is not true or false")]
    [InlineData("Models:Active:0:Treshold", "0.5", "Models:Active:0:Treshold is not a setting; Models:Active:0 takes Path, Word, Threshold")]
    [InlineData("Models:Active:first:Word", "computer", "Models:Active:first: Models:Active is a list")]
    public void ValueThatTheBinderWouldDropOrThrowOnIsNamed(string key, string value, string message)
    {
        IReadOnlyList<string> problems = ModelsProblems(("Models:Active:0:Word", "computer"), (key, value));

        Assert.Contains(message, Assert.Single(problems));
    }

    [Fact]
    public void TheBinderAloneDropsAListEntryWithABadValue()
    {
        // Why Problems exists: this entry vanishes, and an empty Active list means "every model in the folder".
        IConfigurationRoot config = Config(("Models:Active:0:Word", "computer"), ("Models:Active:0:Threshold", "abc"));
        var options = new ModelsOptions();

        SettingsBinder.BindSafely(config.GetSection(ModelsOptions.SectionName), options);

        Assert.Empty(options.Active);
        Assert.NotEmpty(SettingsBinder.Problems(config.GetSection(ModelsOptions.SectionName), typeof(ModelsOptions)));
    }

    [Fact]
    public void BindSafelyKeepsGoingPastAValueThatDoesNotConvert()
    {
        IConfigurationRoot config = Config(("Audio:RealTime", "yes"), ("Audio:Source", "stdin"));
        var options = new AudioOptions();

        SettingsBinder.BindSafely(config.GetSection(AudioOptions.SectionName), options);

        Assert.Equal("Audio:RealTime = 'yes' is not true or false", Assert.Single(SettingsBinder.Problems(config.GetSection("Audio"), typeof(AudioOptions))));
    }

    [Fact]
    public void EmptyValueLeavesANullableSettingUnsetButIsWrongForANumber()
    {
        Assert.Empty(ModelsProblems(("Models:Active:0:Word", "computer"), ("Models:Active:0:Threshold", "")));
        Assert.Single(ModelsProblems(("Models:Active:0:Word", "computer"), ("Models:Active:0:ConsecutiveSteps", "")));
    }

    [Fact]
    public void EveryBadValueIsListedNotOnlyTheFirst()
    {
        IReadOnlyList<string> problems = SettingsBinder.Problems(
            Config(("Events:MaxClients", "many"), ("Events:HeartbeatSeconds", "5s"), ("Events:Enabled", "true")).GetSection("Events"),
            typeof(EventsOptions));

        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void TheShippedSettingsFileHasNoProblems()
    {
        string shipped = Path.Combine(RepoRoot(), "src", "WakeWord.Service", "appsettings.json");
        IConfigurationRoot config = new ConfigurationBuilder().AddJsonFile(shipped).Build();

        Assert.Empty(SettingsBinder.Problems(config.GetSection(AudioOptions.SectionName), typeof(AudioOptions)));
        Assert.Empty(SettingsBinder.Problems(config.GetSection(ModelsOptions.SectionName), typeof(ModelsOptions)));
        Assert.Empty(SettingsBinder.Problems(config.GetSection(EventsOptions.SectionName), typeof(EventsOptions)));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WakeWord.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("WakeWord.sln not found above " + AppContext.BaseDirectory);
    }
}
