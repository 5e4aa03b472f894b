using WakeWord.Service.Metrics;

namespace WakeWord.Service.Tests.Metrics;

public sealed class MetricsOptionsValidatorTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("http://127.0.0.1:9464/")]
    [InlineData("http://127.0.0.1:9464")]
    [InlineData("http://localhost:9100/")]
    [InlineData("http://[::1]:9464/")]
    public void Off_or_loopback_http_with_a_port_is_accepted(string? url) =>
        Assert.Null(MetricsOptionsValidator.Problem(new MetricsOptions { PrometheusUrl = url }));

    [Theory]
    [InlineData("http://192.168.1.5:9464/", "must be on a loopback address")]
    [InlineData("http://0.0.0.0:9464/", "must be on a loopback address")]
    [InlineData("http://example.com:9464/", "must be on a loopback address")]
    [InlineData("https://127.0.0.1:9464/", "must be an http URL with a port")]
    [InlineData("127.0.0.1:9464", "must be an http URL with a port")]
    [InlineData("http://127.0.0.1:9464/metrics", "must have no path")]
    public void Anything_else_is_refused_naming_the_key_and_value(string url, string problem)
    {
        string? message = MetricsOptionsValidator.Problem(new MetricsOptions { PrometheusUrl = url });
        Assert.NotNull(message);
        Assert.StartsWith($"Metrics:PrometheusUrl = '{url}' ", message, StringComparison.Ordinal);
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }
}
