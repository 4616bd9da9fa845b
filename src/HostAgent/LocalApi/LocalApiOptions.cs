namespace OrleansCloud.HostAgent.LocalApi;

/// <summary>The agent's local REST API (section "HostAgent:LocalApi").</summary>
public sealed class LocalApiOptions
{
    public const string Section = "HostAgent:LocalApi";

    public bool Enabled { get; set; } = true;

    /// <summary>Where it listens: loopback by default; it drives the hypervisor, so keep it there or behind TLS.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5070";

    /// <summary>The bearer token callers present. Empty: a random one is generated at start and logged once.</summary>
    public string Token { get; set; } = "";

    /// <summary>The announced host it acts on; empty: the agent's first host.</summary>
    public string Host { get; set; } = "";
}
