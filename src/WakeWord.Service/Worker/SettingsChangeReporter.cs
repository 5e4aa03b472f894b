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
    private readonly IConfiguration _configuration;
    private readonly IEnumerable<IValidateOptions<ModelsOptions>> _validators;
    private readonly SettingsFiles _files;
    private readonly ILogger _logger;
    private readonly IDisposable _reloadSubscription;

    public SettingsChangeReporter(IConfiguration configuration, IEnumerable<IValidateOptions<ModelsOptions>> validators, SettingsFiles files, ILogger logger)
    {
        _configuration = configuration;
        _validators = validators;
        _files = files;
        _logger = logger;
        files.Refused += OnFileRefused;
        _reloadSubscription = ChangeToken.OnChange(configuration.GetReloadToken, ReportInvalidModels);
    }

    public void Dispose()
    {
        _files.Refused -= OnFileRefused;
        _reloadSubscription.Dispose();
    }

    private void OnFileRefused(string problem) => ServiceLog.SettingsFileRejected(_logger, problem);

    private void ReportInvalidModels()
    {
        var fresh = new ModelsOptions();
        SettingsBinder.BindSafely(_configuration.GetSection(ModelsOptions.SectionName), fresh);
        foreach (IValidateOptions<ModelsOptions> validator in _validators)
        {
            ValidateOptionsResult result = validator.Validate(Microsoft.Extensions.Options.Options.DefaultName, fresh);
            if (result.Failed)
            {
                ServiceLog.ReloadRejected(_logger, _files.Name, result.FailureMessage);
            }
        }
    }
}
