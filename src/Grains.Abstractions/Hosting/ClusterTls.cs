using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using Orleans.Hosting;

namespace OrleansCloud.Hosting;

/// <summary>
/// Mutual TLS on Orleans' connections with Orleans' own TLS support (<c>UseTls</c>): each side presents its
/// certificate, requires the other's, and accepts it only when it chains to the cluster's CA (and to no
/// other root: the machine's trust store plays no part). Host names are not checked, since silos are
/// addressed by IP from the membership table; the CA is what says "a process of this cluster".
/// </summary>
public static class ClusterTls
{
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, ClusterSettings settings)
    {
        if (settings.Tls.Enabled)
        {
            var (certificate, ca) = Load(settings.Tls);
            silo.UseTls(certificate, o => Configure(o, ca));
        }

        return silo;
    }

    public static IClientBuilder UseClusterTls(this IClientBuilder client, ClusterSettings settings)
    {
        if (settings.Tls.Enabled)
        {
            var (certificate, ca) = Load(settings.Tls);
            client.UseTls(certificate, o => Configure(o, ca));
        }

        return client;
    }

    /// <summary>Whether a peer's certificate chains to one of the cluster's CA certificates.</summary>
    public static bool IssuedByClusterCa(X509Certificate2? certificate, X509Certificate2Collection ca)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        return chain.Build(certificate);
    }

    private static (X509Certificate2 Certificate, X509Certificate2Collection Ca) Load(ClusterTlsSettings tls)
    {
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath!, tls.CertificatePassword);
        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException("Orleans:Tls:CertificatePath must hold the certificate's private key.");
        }

        var ca = new X509Certificate2Collection();
        ca.ImportFromPemFile(tls.CaPath!);
        return ca.Count == 0
            ? throw new InvalidOperationException("Orleans:Tls:CaPath holds no certificate.")
            : (certificate, ca);
    }

    private static void Configure(TlsOptions options, X509Certificate2Collection ca)
    {
        options.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.CheckCertificateRevocation = false;
        options.RemoteCertificateValidation = (certificate, _, errors) =>
            !errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) && IssuedByClusterCa(certificate, ca);
    }
}
