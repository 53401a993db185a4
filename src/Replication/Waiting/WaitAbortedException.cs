namespace PostgresReplication;

/// <summary>
/// Thrown by a probe when waiting longer cannot help (the container exited): the wait stops at
/// once and passes it on instead of retrying until the deadline.
/// </summary>
public class WaitAbortedException(string message, Exception? inner = null) : Exception(message, inner);
