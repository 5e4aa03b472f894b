namespace WakeWord.Service.Metrics;

/// <summary>The Metrics section: an optional Prometheus scrape endpoint for the WakeWord meter.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>
    /// Where to serve the meter in Prometheus text format, e.g. <c>http://127.0.0.1:9464/</c> (then scraped at
    /// <c>/metrics</c>); empty (the default) serves nothing. Loopback only: the service has no authentication.
    /// </summary>
    public string? PrometheusUrl { get; set; }

    public bool PrometheusEnabled => !string.IsNullOrWhiteSpace(PrometheusUrl);
}
