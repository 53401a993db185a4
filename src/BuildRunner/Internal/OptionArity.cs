namespace BuildRunner.Internal;

/// <summary>How many of the words after an option belong to it; the rest are target names.</summary>
internal enum OptionArity
{
    /// <summary>Nothing, or one <c>true</c>/<c>false</c>.</summary>
    Flag,

    /// <summary>Exactly the next word.</summary>
    Single,

    /// <summary>Every word up to the next option.</summary>
    List,
}
