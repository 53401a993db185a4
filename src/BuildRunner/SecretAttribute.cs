namespace BuildRunner;

/// <summary>
/// Marks a parameter whose value is never printed; every occurrence of it in the runner's
/// output is replaced by <see cref="SecretMasker.Replacement"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
