using System.Net;
using Microsoft.Extensions.Options;

namespace WakeWord.Service.Metrics;

/// <summary>Checks the Metrics section at start: the Prometheus URL must be http on a loopback address.</summary>
public sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options) =>
        Problem(options) is string problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    /// <summary>What is wrong with the section, naming the key and the value, or null.</summary>
    public static string? Problem(MetricsOptions options)
    {
        if (!options.PrometheusEnabled)
        {
            return null;
        }

        string url = options.PrometheusUrl!.Trim();
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp || uri.Port <= 0)
        {
            return $"Metrics:PrometheusUrl = '{url}' must be an http URL with a port, e.g. http://127.0.0.1:9464/";
        }

        bool loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address));
        if (!loopback)
        {
            return $"Metrics:PrometheusUrl = '{url}' must be on a loopback address (127.0.0.1, [::1] or localhost): the endpoint has no authentication";
        }

        if (uri.AbsolutePath != "/")
        {
            return $"Metrics:PrometheusUrl = '{url}' must have no path (the metrics are served at /metrics)";
        }

        return null;
    }
}
