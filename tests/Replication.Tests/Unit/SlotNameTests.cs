using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class SlotNameTests
{
    [Theory]
    [InlineData("standby-1", "standby_1")]
    [InlineData("Standby.Two", "standby_two")]
    [InlineData("replica_3", "replica_3")]
    [InlineData("db-b.example", "db_b_example")]
    public void A_slot_is_the_hostname_lower_cased_with_other_characters_as_underscores(string hostname, string slot)
    {
        Assert.Equal(slot, SlotName.FromHostname(hostname));
    }
}
