using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using WakeWord.Service.Logging;
using WakeWord.Service.Options;

namespace WakeWord.Service.Worker;

/// <summary>
/// Logs the settings changes the service refuses, which would otherwise go unseen: a settings file broken by an edit
/// (its provider keeps the old values) and a Models section that binds but fails validation (the options monitor drops
/// that reload without calling its OnChange), naming the bad values.
/// </summary>
public sealed class SettingsChangeReporter : IDisposable
{
    private readonly IConfiguration configuration;
    private readonly IEnumerable<IValidateOptions<ModelsOptions>> validators;
    private readonly SettingsFiles files;
    private readonly ILogger logger;
    private readonly IDisposable reloadSubscription;

    public SettingsChangeReporter(IConfiguration configuration, IEnumerable<IValidateOptions<ModelsOptions>> validators, SettingsFiles files, ILogger logger)
    {
        this.configuration = configuration;
        this.validators = validators;
        this.files = files;
        this.logger = logger;
        files.Refused += OnFileRefused;
        reloadSubscription = ChangeToken.OnChange(configuration.GetReloadToken, ReportInvalidModels);
    }

    public void Dispose()
    {
        files.Refused -= OnFileRefused;
        reloadSubscription.Dispose();
    }

    private void OnFileRefused(string problem) => ServiceLog.SettingsFileRejected(logger, problem);

    private void ReportInvalidModels()
    {
        var fresh = new ModelsOptions();
        SettingsBinder.BindSafely(configuration.GetSection(ModelsOptions.SectionName), fresh);
        foreach (IValidateOptions<ModelsOptions> validator in validators)
        {
            ValidateOptionsResult result = validator.Validate(Microsoft.Extensions.Options.Options.DefaultName, fresh);
            if (result.Failed)
            {
                ServiceLog.ReloadRejected(logger, result.FailureMessage);
            }
        }
    }
}
