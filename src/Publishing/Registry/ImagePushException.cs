namespace PostgresReplication.Publishing;

/// <summary>A tag or push failed for a reason other than refused credentials.</summary>
public sealed class ImagePushException(string message, Exception? inner = null) : Exception(message, inner);
