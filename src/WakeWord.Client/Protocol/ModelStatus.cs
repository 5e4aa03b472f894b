namespace WakeWord.Client.Protocol;

/// <summary>One running model in a <see cref="ServiceStatusMessage"/>.</summary>
/// <param name="Id">The model's id (file name without extension), as in wake events.</param>
/// <param name="Word">Its wake word.</param>
/// <param name="Threshold">The threshold in force (appsettings.json's, else the model's recommended one).</param>
/// <param name="ConsecutiveSteps">Steps at or above the threshold before it fires.</param>
/// <param name="RefractoryS">Seconds after an event with no other.</param>
/// <param name="File">The model file.</param>
public sealed record ModelStatus(string Id, string Word, float Threshold, int ConsecutiveSteps, double RefractoryS, string File);
