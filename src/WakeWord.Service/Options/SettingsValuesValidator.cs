using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace WakeWord.Service.Options;

/// <summary>Fails a settings section that holds a value that does not parse or a key that is not a setting.</summary>
public sealed class SettingsValuesValidator<T>(IConfigurationSection section) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        IReadOnlyList<string> problems = SettingsBinder.Problems(section, typeof(T));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
