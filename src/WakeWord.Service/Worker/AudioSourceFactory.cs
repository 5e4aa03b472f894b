using Microsoft.Extensions.Logging;
using WakeWord.Audio.Capture;
using WakeWord.Audio.Files;
using WakeWord.Audio.Stdin;
using WakeWord.Core.Audio;
using WakeWord.Service.Options;

namespace WakeWord.Service.Worker;

/// <summary>Opens the source the Audio section names, delivering mono samples at the models' rate.</summary>
public static class AudioSourceFactory
{
    public static IAudioSource Create(AudioOptions options, int sampleRate, ILogger logger)
    {
        IAudioSource source = options.Source.Trim().ToLowerInvariant() switch
        {
            AudioOptions.File => Paced(new WavFileSource(Path.GetFullPath(options.FilePath!), sampleRate), options),
            AudioOptions.Stdin => Paced(new StdinPcmSource(inputSampleRate: options.StdinSampleRate, sampleRate: sampleRate,
                wavAdvice: "To play a WAV file, set Audio:Source=file and Audio:FilePath to it"), options),
            AudioOptions.Microphone => OpenMicrophone(options, sampleRate, logger),
            _ => throw new AudioSourceException($"Audio:Source = '{options.Source}' is not a known audio source"),
        };

        if (source.SampleRate != sampleRate)
        {
            string description = source.Description;
            source.Dispose();
            throw new AudioSourceException($"{description} delivers {source.SampleRate} Hz but the models need {sampleRate} Hz");
        }

        return source;
    }

    private static IAudioSource Paced(IAudioSource source, AudioOptions options) =>
        options.RealTime ? new RealTimePacedSource(source) : source;

    /// <summary>Opens the microphone at the models' rate (the backend or its sound server resamples).</summary>
    private static ILiveAudioSource OpenMicrophone(AudioOptions options, int sampleRate, ILogger logger)
    {
        try
        {
            return MicrophoneSourceFactory.Create(options.Backend.Trim().ToLowerInvariant(), options.Device, options.ChunkMilliseconds, logger, sampleRate);
        }
        catch (ArgumentException ex)
        {
            throw new AudioSourceException($"Audio:Backend = '{options.Backend}', Audio:Device = '{options.Device}': {ex.Message}", ex);
        }
    }
}
