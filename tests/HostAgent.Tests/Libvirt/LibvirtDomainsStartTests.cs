using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansCloud.HostAgent.Commands;
using OrleansCloud.HostAgent.Drivers.Domains;
using OrleansCloud.HostAgent.Drivers.Libvirt;
using System.Xml.Linq;

namespace OrleansCloud.HostAgent.Tests.Libvirt;

/// <summary>
/// Starting an install domain, against a recording stand-in for virsh: a fake kernel cannot boot on the
/// real QEMU, so the order of commands and the definition left for later boots are checked here.
/// </summary>
public sealed class LibvirtDomainsStartTests
{
    private const string Name = "ns.example.com";

    [Fact]
    public async Task StartingAnInstallDomain_BootsTheInstaller_ThenLeavesADefinitionThatBootsTheDisk()
    {
        var install = new InstallFiles("http://tree/", "/d/ns.example.com.kernel", "/d/ns.example.com.initrd", "console=ttyS0");
        var virsh = new RecordingVirsh(StagingDomainXml.Build(new DomainDefinition(Name, 64, [1], [], null), "qemu", ["/d/ns.example.com.0.qcow2"], install));

        var outcome = await Domains(virsh).StartAsync(Name, default);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(["list --all", $"dumpxml --inactive {Name}", $"start {Name}", "define"], virsh.Calls);
        var next = virsh.Defined.Single().Root!;
        Assert.Null(next.Element("os")!.Element("kernel"));
        Assert.Equal("hd", next.Element("os")!.Element("boot")!.Attribute("dev")!.Value);
        Assert.Equal("restart", next.Element("on_reboot")!.Value);
    }

    [Fact]
    public async Task StartingAnOrdinaryDomain_OnlyStartsIt()
    {
        var virsh = new RecordingVirsh(StagingDomainXml.Build(new DomainDefinition(Name, 64, [1], [], null), "qemu", ["/d/ns.example.com.0.qcow2"], install: null));

        var outcome = await Domains(virsh).StartAsync(Name, default);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(["list --all", $"dumpxml --inactive {Name}", $"start {Name}"], virsh.Calls);
    }

    private static LibvirtDomains Domains(ICommandRunner commands) =>
        new(commands, Options.Create(new LibvirtOptions { StorageDir = "/d" }), new NoHttp(), NullLogger<LibvirtDomains>.Instance);

    private sealed class RecordingVirsh(XDocument inactive) : ICommandRunner
    {
        public List<string> Calls { get; } = [];

        public List<XDocument> Defined { get; } = [];

        public Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? standardInput = null,
            IReadOnlyDictionary<string, string>? environment = null)
        {
            var verb = arguments.Skip(2).ToList();
            Calls.Add(verb[0] == "define" ? "define" : string.Join(' ', verb));
            var output = verb[0] switch
            {
                "list" => $" Id   Name   State\n------------------\n -    {Name}   shut off\n",
                "dumpxml" => inactive.ToString(),
                _ => "",
            };
            if (verb[0] == "define")
            {
                Defined.Add(XDocument.Load(verb[1]));
            }

            return Task.FromResult(new CommandResult(program, arguments, 0, output, "", TimeSpan.Zero));
        }
    }

    private sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("no downloads here");
    }
}
