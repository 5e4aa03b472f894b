using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WakeWord.Service.Options;

namespace WakeWord.Service.Events;

/// <summary>Registration of the event pipe (one line in Program.cs).</summary>
public static class EventsServiceCollectionExtensions
{
    /// <summary>Binds and validates the "Events" section and runs the pipe server as a hosted service.</summary>
    public static IServiceCollection AddWakeEventPipe(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventsOptions>().BindSettings(configuration, EventsOptions.SectionName);
        services.AddSingleton<IValidateOptions<EventsOptions>, EventsOptionsValidator>();
        services.AddHostedService<EventPipeHostedService>();
        return services;
    }
}
