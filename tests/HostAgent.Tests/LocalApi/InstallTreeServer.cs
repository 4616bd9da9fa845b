using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace OrleansCloud.HostAgent.Tests.LocalApi;

/// <summary>
/// A network install tree on loopback (Kestrel on a free port): a small fake kernel and initrd where an
/// Ubuntu/Debian installer-amd64 directory keeps them, like the contract's example location.
/// </summary>
public sealed class InstallTreeServer : IAsyncDisposable
{
    public const string TreePath = "/ubuntu/dists/xenial/main/installer-amd64";

    public static readonly byte[] Kernel = [.. "fake kernel for a local API test "u8, .. Enumerable.Range(0, 4096).Select(i => (byte)i)];

    public static readonly byte[] Initrd = [.. "fake initrd for a local API test "u8, .. Enumerable.Range(0, 2048).Select(i => (byte)(i * 7))];

    private readonly WebApplication _app;

    private InstallTreeServer(WebApplication app) => _app = app;

    /// <summary>The install location to give POST /hosts/{host}.</summary>
    public Uri Location => new(_app.Urls.Single() + TreePath);

    public int Requests { get; private set; }

    public static async Task<InstallTreeServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new InstallTreeServer(app);
        app.Use((http, next) =>
        {
            server.Requests++;
            return next(http);
        });
        app.MapGet(TreePath + "/current/images/netboot/ubuntu-installer/amd64/linux", () => Results.Bytes(Kernel, "application/octet-stream"));
        app.MapGet(TreePath + "/current/images/netboot/ubuntu-installer/amd64/initrd.gz", () => Results.Bytes(Initrd, "application/octet-stream"));
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
