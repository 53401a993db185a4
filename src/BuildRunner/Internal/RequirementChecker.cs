using System.Collections;
using System.Linq.Expressions;

namespace BuildRunner.Internal;

/// <summary>
/// Checks every <c>Requires(() => X)</c> of the targets about to run, before the first one
/// starts: a missing registry password should not surface after a twenty-minute test run.
/// </summary>
internal static class RequirementChecker
{
    public static void Check(IReadOnlyList<PlannedTarget> plan, IReadOnlyList<ParameterMember> parameters)
    {
        var missing = plan
            .Where(p => !p.Skipped)
            .SelectMany(p => p.Definition.Requirements
                .Where(IsMissing)
                .Select(requirement => $"{p.Definition.Name} needs {Describe(requirement, parameters)}"))
            .ToList();
        if (missing.Count > 0)
        {
            throw new BuildFailedException("Missing parameters:" + string.Concat(missing.Select(m => $"{Environment.NewLine}  {m}")));
        }
    }

    private static bool IsMissing(Expression<Func<object?>> requirement)
    {
        object? value;
        try
        {
            value = requirement.Compile()();
        }
        catch (Exception exception)
        {
            throw new BuildFailedException($"Could not read {requirement.Body}: {exception.Message}", exception);
        }

        return value switch
        {
            null => true,
            string text => string.IsNullOrWhiteSpace(text),
            ICollection collection => collection.Count == 0,
            _ => false,
        };
    }

    private static string Describe(Expression<Func<object?>> requirement, IReadOnlyList<ParameterMember> parameters)
    {
        var body = requirement.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : requirement.Body;
        if (body is not MemberExpression { Member: var member })
        {
            return $"{body} to have a value";
        }

        var parameter = parameters.FirstOrDefault(p => p.Member.HasSameMetadataDefinitionAs(member));
        return parameter is null
            ? $"{member.Name} to have a value"
            : $"{parameter.Flag} (or environment variable {string.Join(", ", parameter.EnvironmentNames)})";
    }
}
