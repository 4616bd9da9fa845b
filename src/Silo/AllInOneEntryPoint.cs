namespace OrleansCloud.Silo;

/// <summary>
/// Names this assembly's entry point for <c>WebApplicationFactory</c>: the API and host agent
/// executables have a top-level <c>Program</c> of their own, so that name is ambiguous to tests.
/// </summary>
public sealed class AllInOneEntryPoint;
