using System.Net;
using System.Text.Json;
using Docker.DotNet;

namespace PostgresReplication.Publishing;

/// <summary>
/// Recognises refused credentials in what the engine says. The engine reports them in three
/// ways: an HTTP 401, an HTTP 500 whose body quotes the registry's 401 (login), or an error
/// line in a push stream ("unauthorized: authentication required", "denied: ...").
/// </summary>
internal static class AuthFailure
{
    private static readonly string[] Markers =
        ["unauthorized", "authentication required", "401", "denied", "incorrect username or password"];

    public static bool Is(string? message) =>
        message is not null && Markers.Any(m => message.Contains(m, StringComparison.OrdinalIgnoreCase));

    public static bool Is(DockerApiException e) =>
        e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || Is(e.ResponseBody);

    /// <summary>The engine's words without JSON wrapping and, defensively, without the password.</summary>
    public static string Detail(string? message, string? password)
    {
        var text = (message ?? "").Trim();
        text = MessageField(text) ?? text;
        if (text.Length == 0)
        {
            text = "no detail";
        }

        return string.IsNullOrEmpty(password) ? text : text.Replace(password, "***", StringComparison.Ordinal);
    }

    // Error bodies from the engine are JSON: {"message":"login attempt to ... failed with status: 401 Unauthorized"}.
    private static string? MessageField(string body)
    {
        if (!body.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("message", out var field) ? field.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
