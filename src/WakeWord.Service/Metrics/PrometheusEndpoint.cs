using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace WakeWord.Service.Metrics;

/// <summary>
/// Serves the WakeWord meter for Prometheus (OpenTelemetry's stand-alone HttpListener exporter) when
/// Metrics:PrometheusUrl is set. Its own type, called only then, so that a service without the endpoint never loads
/// the OpenTelemetry assemblies (their memory stays out of the default resident set).
/// </summary>
public static class PrometheusEndpoint
{
    /// <param name="url">A URL <see cref="MetricsOptionsValidator"/> accepted (http, loopback, a port, no path).</param>
    public static void AddTo(IServiceCollection services, string url)
    {
        var uri = new Uri(url.Trim());
        services.AddOpenTelemetry().ConfigureResource(r => r.AddService("wakeword-service")).WithMetrics(metrics => metrics
            .AddMeter(ServiceMetrics.MeterName)
            .AddPrometheusHttpListener(o =>
            {
                o.Host = uri.Host;
                o.Port = uri.Port;
                o.ScrapeEndpointPath = "/metrics";
            }));
    }
}
