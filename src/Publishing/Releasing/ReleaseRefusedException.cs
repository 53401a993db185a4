namespace PostgresReplication.Publishing;

/// <summary>
/// A release tag was not created because a precondition failed. The message is one line
/// meant for the user; nothing in the repository was changed.
/// </summary>
public abstract class ReleaseRefusedException(string message) : Exception(message);
