using System.Text.Json;

namespace BuildRunner.Internal;

/// <summary>
/// Reads <c>.nuke/parameters.json</c>: member names in PascalCase mapped to JSON strings,
/// numbers, booleans or arrays. Values become words, parsed like command-line values.
/// </summary>
internal static class ParametersFile
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Load(string path)
    {
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
        {
            return values;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new BuildFailedException($"{path} must hold a JSON object of parameter names and values.");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                // null means "not set here", so the member keeps its default.
                if (property.Value.ValueKind != JsonValueKind.Null && !property.Name.StartsWith('$'))
                {
                    values[property.Name] = Words(property.Value, path, property.Name);
                }
            }
        }
        catch (JsonException exception)
        {
            throw new BuildFailedException($"{path} is not valid JSON: {exception.Message}", exception);
        }

        return values;
    }

    private static IReadOnlyList<string> Words(JsonElement value, string path, string name) => value.ValueKind switch
    {
        JsonValueKind.Array => [.. value.EnumerateArray().Select(item => Word(item, path, name))],
        _ => [Word(value, path, name)],
    };

    private static string Word(JsonElement value, string path, string name) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new BuildFailedException($"{path}: {name} must be a string, number, boolean or array of those."),
    };
}
