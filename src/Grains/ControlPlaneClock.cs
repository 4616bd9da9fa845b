namespace OrleansCloud.Grains;

/// <summary>
/// The control-plane grains read time from a keyed <see cref="TimeProvider"/>, so tests can move
/// hold expiry and heartbeat age with a fake clock without slowing the Orleans runtime, which reads
/// the unkeyed one.
/// </summary>
public static class ControlPlaneClock
{
    public const string Key = "oc.clock";
}
