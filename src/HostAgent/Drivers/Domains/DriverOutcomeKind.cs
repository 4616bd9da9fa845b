namespace OrleansCloud.HostAgent.Drivers.Domains;

public enum DriverOutcomeKind
{
    Done,
    NotFound,
    Conflict,

    /// <summary>An input the hypervisor cannot use (e.g. an install tree without a kernel); <see cref="DriverOutcome.Field"/> names it.</summary>
    Invalid,

    /// <summary>A command failed; the logs carry it and its stderr.</summary>
    Failed,
}
