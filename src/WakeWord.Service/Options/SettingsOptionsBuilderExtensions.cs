using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WakeWord.Service.Options;

public static class SettingsOptionsBuilderExtensions
{
    /// <summary>
    /// Like <c>Bind(section)</c>, reloads included, but a value that does not parse or an unknown key fails validation
    /// with a message naming the key (at start: exit 2 and one line; on a live edit: logged, the running settings kept).
    /// </summary>
    public static OptionsBuilder<T> BindSettings<T>(this OptionsBuilder<T> builder, IConfiguration configuration, string sectionName)
        where T : class
    {
        IConfigurationSection section = configuration.GetSection(sectionName);
        builder.Services.AddSingleton<IOptionsChangeTokenSource<T>>(new ConfigurationChangeTokenSource<T>(builder.Name, section));
        builder.Configure(options => SettingsBinder.BindSafely(section, options));
        builder.Services.AddSingleton<IValidateOptions<T>>(new SettingsValuesValidator<T>(section));
        return builder.ValidateOnStart();
    }
}
