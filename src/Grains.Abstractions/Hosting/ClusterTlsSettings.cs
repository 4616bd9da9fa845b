namespace OrleansCloud.Hosting;

/// <summary>
/// The cluster's mutual TLS (configuration section <c>Orleans:Tls</c>): this process's certificate and key
/// as a PKCS#12 file with its password, and the cluster's CA certificate (PEM). Every silo, agent and
/// client presents its certificate and accepts only peers whose certificate chains to that CA, so a
/// process without one cannot join the cluster or call a grain. Off when <see cref="CertificatePath"/> is
/// empty (the all-in-one and the in-memory test clusters); <c>deploy/certs.sh</c> makes a development set.
/// </summary>
public sealed class ClusterTlsSettings
{
    /// <summary>This process's certificate with its private key, PKCS#12 (.pfx).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PKCS#12 file's password (from the environment or a secret store, never committed).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The cluster CA's certificate, PEM: the only root a peer's certificate may chain to.</summary>
    public string? CaPath { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(CaPath);

    public IEnumerable<string> Problems()
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(CertificatePath) || !File.Exists(CertificatePath))
        {
            yield return "Orleans:Tls:CertificatePath must name this process's PKCS#12 certificate file";
        }

        if (string.IsNullOrWhiteSpace(CaPath) || !File.Exists(CaPath))
        {
            yield return "Orleans:Tls:CaPath must name the cluster CA's PEM certificate file";
        }
    }
}
