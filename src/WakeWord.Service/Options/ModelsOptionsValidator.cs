using WakeWord.Core.Detection;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace WakeWord.Service.Options;

/// <summary>
/// Checks the Models section: at start (ValidateOnStart) and on every reload of appsettings.json; every message names
/// the key and the bad value. Whether a file is a usable model is checked when it loads.
/// </summary>
public sealed class ModelsOptionsValidator(IHostEnvironment environment) : IValidateOptions<ModelsOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelsOptions options)
    {
        var errors = new List<string>();
        string root = environment.ContentRootPath;
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            errors.Add("Models:Directory must not be empty");
            return ValidateOptionsResult.Fail(errors);
        }

        if (options.Active.Count == 0)
        {
            string directory = ModelFiles.DirectoryOf(options, root);
            if (ModelFiles.Resolve(options, root).Count == 0)
            {
                errors.Add($"Models:Directory = '{options.Directory}': no models (*.onnx) in {directory}, and Models:Active lists none");
            }
        }

        for (int i = 0; i < options.Active.Count; i++)
        {
            ValidateEntry(options, options.Active[i], $"Models:Active:{i}", root, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateEntry(ModelsOptions options, ModelEntryOptions entry, string key, string root, List<string> errors)
    {
        bool hasPath = !string.IsNullOrWhiteSpace(entry.Path);
        bool hasWord = !string.IsNullOrWhiteSpace(entry.Word);
        if (hasPath == hasWord)
        {
            errors.Add(hasPath
                ? $"{key}: give either Path or Word, not both (Path = '{entry.Path}', Word = '{entry.Word}'); to replace a Word set in appsettings.json, also set {key}:Word to empty"
                : $"{key}: give either Path (a model file) or Word (a model in Models:Directory)");
        }
        else
        {
            string file = ModelFiles.PathOf(entry, options, root);
            if (!File.Exists(file))
            {
                string which = hasPath ? $"{key}:Path = '{entry.Path}'" : $"{key}:Word = '{entry.Word}'";
                errors.Add($"{which}: model file not found ({file})");
            }
        }

        if (entry.Threshold is float threshold && DetectorSettings.ThresholdProblem(threshold) is string thresholdProblem)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}:Threshold = {threshold} {thresholdProblem}"));
        }

        if (DetectorSettings.ConsecutiveStepsProblem(entry.ConsecutiveSteps) is string consecutiveProblem)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}:ConsecutiveSteps = {entry.ConsecutiveSteps} {consecutiveProblem}"));
        }

        if (entry.RefractorySeconds is double refractory && DetectorSettings.RefractoryProblem(refractory) is string refractoryProblem)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}:RefractorySeconds = {refractory} {refractoryProblem}"));
        }
    }
}
