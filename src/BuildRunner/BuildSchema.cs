using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using BuildRunner.Internal;

namespace BuildRunner;

/// <summary>
/// The JSON schema of <c>.nuke/parameters.json</c> (<c>.nuke/build.schema.json</c>), made from the
/// same reflection that reads the parameters, so editors complete and check the file. As NUKE
/// does, every run writes it again (only when it changed).
/// </summary>
public static class BuildSchema
{
    public const string FileName = "build.schema.json";

    public static string PathIn(string root) => Path.Combine(root, RepositoryRoot.MarkerFolder, FileName);

    /// <summary>The schema for a build class: each parameter with its description and JSON type.</summary>
    public static string Generate(Type buildType)
    {
        var properties = new JsonObject
        {
            ["$schema"] = new JsonObject { ["type"] = "string" },
        };
        var nullability = new NullabilityInfoContext();
        foreach (var parameter in ParameterMember.Discover(buildType))
        {
            var property = Type(parameter.ValueType, IsNullable(parameter.Member, nullability));
            property["description"] = parameter.IsSecret ? $"{parameter.Description} (secret: better set by environment)" : parameter.Description;
            properties[parameter.Name] = property;
        }

        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["title"] = "Build parameters",
            ["description"] = "Values for the build's parameters; the command line and environment variables win over them.",
            ["type"] = "object",
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    internal static void Write(string root, Type buildType)
    {
        var path = PathIn(root);
        var schema = Generate(buildType);
        if (!File.Exists(path) || File.ReadAllText(path) != schema)
        {
            File.WriteAllText(path, schema);
        }
    }

    private static bool IsNullable(MemberInfo member, NullabilityInfoContext context) => member switch
    {
        FieldInfo field => context.Create(field).WriteState == NullabilityState.Nullable,
        PropertyInfo property => context.Create(property).ReadState == NullabilityState.Nullable,
        _ => false,
    };

    // The JSON a value of this type is written as; null leaves a parameter at its default.
    private static JsonObject Type(Type type, bool nullable)
    {
        var scalar = Nullable.GetUnderlyingType(type) ?? type;
        JsonObject Of(string json) => new() { ["type"] = nullable ? new JsonArray(json, "null") : json };
        if (type == typeof(string[]))
        {
            var list = Of("array");
            list["items"] = new JsonObject { ["type"] = "string" };
            return list;
        }

        if (scalar.IsEnum)
        {
            var choice = Of("string");
            choice["enum"] = new JsonArray([.. Enum.GetNames(scalar).Select(name => (JsonNode?)name), .. nullable ? new JsonNode?[] { null } : []]);
            return choice;
        }

        return scalar == typeof(bool) ? Of("boolean")
            : scalar == typeof(int) ? Of("integer")
            : scalar == typeof(double) || scalar == typeof(TimeSpan) ? Of("number")
            : Of("string");
    }
}
