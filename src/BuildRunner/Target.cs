namespace BuildRunner;

/// <summary>
/// A build step, declared as a property of the build class:
/// <c>Target Test => _ => _.DependsOn(StartStandby).Executes(...)</c>.
/// The property name is the target name; the delegate only describes the target.
/// </summary>
public delegate ITargetDefinition Target(ITargetDefinition _);
