namespace OrleansCloud.Api;

/// <summary>Ids chosen by clients (tenants, users) follow the VM name rule: DNS labels, safe everywhere.</summary>
public static class Names
{
    public static bool IsValid(string? name) => OrleansCloud.Vms.VmLimits.IsValidName(name);
}
