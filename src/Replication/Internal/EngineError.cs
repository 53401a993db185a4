using System.Text.Json;
using Docker.DotNet;

namespace PostgresReplication;

/// <summary>The engine's error text without its JSON wrapping ({"message": "..."}).</summary>
internal static class EngineError
{
    public static string Message(DockerApiException e)
    {
        var body = e.ResponseBody?.Trim();
        if (string.IsNullOrEmpty(body))
        {
            return e.Message;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("message", out var message) && message.GetString() is { } text
                ? text.Trim()
                : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
