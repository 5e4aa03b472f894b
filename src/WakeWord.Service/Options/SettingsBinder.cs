using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace WakeWord.Service.Options;

/// <summary>
/// Binds a settings section and lists every value that does not parse and every key that is not a setting, each
/// naming its full key. The .NET binder alone throws on the first bad scalar (a stack trace, exit 1) and silently drops
/// a list element with a bad value (a <c>Models:Active</c> entry with <c>Threshold=abc</c> vanished, and the service
/// ran every model in the folder), so the options validators call <see cref="Problems"/> instead of trusting it.
/// </summary>
public static class SettingsBinder
{
    /// <summary>Binds what parses; what does not is reported by <see cref="Problems"/> (a validator fails the options).</summary>
    public static void BindSafely(IConfiguration section, object target)
    {
        try
        {
            section.Bind(target);
        }
        catch (InvalidOperationException)
        {
            // A value that does not convert: SettingsValuesValidator reports it with its key, once, without a stack trace.
        }
    }

    public static IReadOnlyList<string> Problems(IConfigurationSection section, Type type)
    {
        var problems = new List<string>();
        Check(section, type, problems);
        return problems;
    }

    private static void Check(IConfigurationSection section, Type declared, List<string> problems)
    {
        Type type = Nullable.GetUnderlyingType(declared) ?? declared;
        if (IsScalar(type))
        {
            CheckScalar(section, declared, type, problems);
            return;
        }

        if (ElementType(type) is Type element)
        {
            foreach (IConfigurationSection child in section.GetChildren())
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    problems.Add($"{child.Path}: {section.Path} is a list; its entries are numbered 0, 1, 2, ...");
                    continue;
                }

                Check(child, element, problems);
            }

            return;
        }

        if (section.Value is { Length: > 0 } && !section.GetChildren().Any())
        {
            problems.Add($"{section.Path} = '{section.Value}' must be a section with settings ({string.Join(", ", SettingNames(type))}), not a value");
            return;
        }

        foreach (IConfigurationSection child in section.GetChildren())
        {
            PropertyInfo? property = Settable(type).FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                problems.Add($"{child.Path} is not a setting; {section.Path} takes {string.Join(", ", SettingNames(type))}");
                continue;
            }

            Check(child, property.PropertyType, problems);
        }
    }

    private static void CheckScalar(IConfigurationSection section, Type declared, Type type, List<string> problems)
    {
        if (section.Value is null)
        {
            if (section.GetChildren().Any())
            {
                problems.Add($"{section.Path} must be a single value ({Describe(type)}), not a section");
            }

            return;
        }

        // As the binder does: an empty value leaves a nullable setting unset; a string takes anything.
        if (type == typeof(string) || (section.Value.Length == 0 && declared != type))
        {
            return;
        }

        try
        {
            _ = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(section.Value);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException or NotSupportedException)
        {
            problems.Add($"{section.Path} = '{section.Value}' is not {Describe(type)}");
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan);

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments().Length == 1
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite || ElementType(p.PropertyType) is not null);

    private static IEnumerable<string> SettingNames(Type type) => Settable(type).Select(p => p.Name);

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) => "a whole number",
        _ when type == typeof(float) || type == typeof(double) || type == typeof(decimal) => "a number (with '.' as the decimal point, no unit)",
        _ when type == typeof(TimeSpan) => "a time span (hh:mm:ss)",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
        _ => "a " + type.Name,
    };
}
