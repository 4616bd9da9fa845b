using OrleansCloud.Users;

namespace OrleansCloud.Grains.Users;

[GenerateSerializer, Alias("oc.UserState")]
public sealed class UserState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string PasswordHash { get; set; } = "";
    [Id(2)] public List<Membership> Memberships { get; set; } = [];
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
}
