namespace OrleansCloud.HostAgent.Drivers.Libvirt;

/// <summary>The libvirt/KVM driver's settings (section "Libvirt").</summary>
public sealed class LibvirtOptions
{
    public const string Section = "Libvirt";

    /// <summary>The libvirt connection every virsh call names with -c.</summary>
    public string Uri { get; set; } = "qemu:///system";

    /// <summary>Where VM disks and cloud-init seed ISOs are created.</summary>
    public string StorageDir { get; set; } = "/var/lib/orleanscloud/disks";

    /// <summary>
    /// The libvirt directory pool over <see cref="StorageDir"/> the agent defines (if missing), starts and
    /// marks autostart, and reports first: the host's default pool, where a disk goes when its spec names
    /// a pool the host lacks.
    /// </summary>
    public string StoragePool { get; set; } = "oc-default";

    /// <summary>Base images: {ImagesDir}/{imageId}.qcow2 becomes the backing file of a VM's disk.</summary>
    public string ImagesDir { get; set; } = "/var/lib/orleanscloud/images";

    /// <summary>When the image is not in <see cref="ImagesDir"/>: true gives the VM a blank disk, false fails the create.</summary>
    public bool AllowBlankDisk { get; set; } = true;

    /// <summary>"kvm", "qemu" (emulation) or "auto": kvm when /dev/kvm exists.</summary>
    public string DomainType { get; set; } = "auto";

    /// <summary>The libvirt network a VM joins when its spec names none; empty: no network interface.</summary>
    public string DefaultNetwork { get; set; } = "";

    /// <summary>The Open vSwitch bridge tenant networks are realised on (one per host; each network is a VLAN on it).</summary>
    public string TenantBridge { get; set; } = "oc-tenants";

    /// <summary>How long a graceful shutdown may take before the domain is destroyed.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The limit for any single command.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public string Virsh { get; set; } = "virsh";

    public string QemuImg { get; set; } = "qemu-img";

    public string GenIsoImage { get; set; } = "genisoimage";

    public string OvsVsctl { get; set; } = "ovs-vsctl";

    public string EffectiveDomainType => DomainType == "auto" ? (File.Exists("/dev/kvm") ? "kvm" : "qemu") : DomainType;

    public IEnumerable<string> Problems()
    {
        if (DomainType is not ("auto" or "kvm" or "qemu"))
        {
            yield return "Libvirt:DomainType must be auto, kvm or qemu";
        }

        if (!Path.IsPathFullyQualified(StorageDir) || !Path.IsPathFullyQualified(ImagesDir))
        {
            yield return "Libvirt:StorageDir and Libvirt:ImagesDir must be absolute paths";
        }

        if (!Vms.VmLimits.IsValidName(TenantBridge) || TenantBridge.Length > 15)
        {
            yield return "Libvirt:TenantBridge must be a bridge name of at most 15 letters, digits and inner hyphens";
        }

        if (!Vms.VmLimits.IsValidName(StoragePool))
        {
            yield return "Libvirt:StoragePool must be a pool name (lower-case letters, digits and dashes)";
        }

        if (DefaultNetwork.Length > 0 && !Vms.VmLimits.IsValidName(DefaultNetwork))
        {
            yield return "Libvirt:DefaultNetwork must be a network name";
        }
    }
}
