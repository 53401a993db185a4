namespace Replication.Tests.Scenarios;

/// <summary>Scenario classes join this collection to share the one image build.</summary>
[CollectionDefinition(Name)]
public sealed class ReplicationCollection : ICollectionFixture<ReplicationImageFixture>
{
    public const string Name = "replication image";
}
