using OrleansCloud.Tasks;

namespace OrleansCloud.Actions.VmMigrate;

/// <summary>vm.migrate (cold): to <see cref="Host"/> when named, else to a host the election picks in the VM's area.</summary>
[GenerateSerializer, Immutable, Alias("oc.VmMigratePayload")]
public sealed record VmMigratePayload([property: Id(0)] string? Host = null) : TaskPayload
{
    public const string Action = "vm.migrate";
}
