<#
.SYNOPSIS
    Shared by OrleansCloud's Hyper-V scripts (dot-sourced): the request on stdin, the one-line JSON
    reply on stdout, VM id checks and power-state changes.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$script:Logs = [System.Collections.Generic.List[string]]::new()

function Write-Log([string] $line) { $script:Logs.Add($line) }

# Writes the reply (with the collected logs) as one JSON line and ends the script.
function Send-Reply([hashtable] $body, [int] $exitCode = 0) {
    $body['logs'] = @($script:Logs)
    [Console]::Out.WriteLine(($body | ConvertTo-Json -Compress -Depth 8))
    exit $exitCode
}

function Send-Failure([string] $code, [string] $message, [bool] $retryable) {
    Send-Reply @{ ok = $false; code = $code; message = $message; retryable = $retryable } 1
}

# The request: one JSON object on stdin. A VM id, when present, must be a DNS label.
function Read-Request {
    $request = [Console]::In.ReadToEnd() | ConvertFrom-Json
    if ($request.PSObject.Properties['vmId'] -and ([string] $request.vmId) -notmatch '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$') {
        Send-Failure 'ERR_VALIDATION' "invalid vm id '$($request.vmId)'" $false
    }
    Import-Module Hyper-V
    return $request
}

# Brings an existing VM to Running or Off; a missing VM is ERR_NOT_FOUND, one already there is success.
function Set-PowerState([string] $vmId, [ValidateSet('Running', 'Off')] [string] $desired, [bool] $force = $false) {
    $vm = Get-VM -Name $vmId -ErrorAction SilentlyContinue
    if (-not $vm) {
        Send-Failure 'ERR_NOT_FOUND' "$vmId does not exist" $false
    }
    if ([string] $vm.State -eq $desired) {
        Write-Log "hyperv: $vmId is already $desired"
    } elseif ($desired -eq 'Running') {
        Start-VM -VM $vm
        Write-Log "hyperv: started $vmId"
    } elseif ($force) {
        Stop-VM -VM $vm -TurnOff -Force
        Write-Log "hyperv: powered $vmId off"
    } else {
        Stop-VM -VM $vm -Force
        Write-Log "hyperv: stopped $vmId"
    }
    Send-Reply @{ ok = $true; vmId = $vmId; state = $desired }
}

# Reports an unexpected error as a failure reply, with the exception on stderr.
function Send-Exception($errorRecord, [bool] $retryable) {
    Write-Log "hyperv: $($errorRecord.Exception.Message)"
    [Console]::Error.WriteLine($errorRecord.Exception.ToString())
    Send-Failure 'ERR_HOST_OPERATION_FAILED' $errorRecord.Exception.Message $retryable
}

# A VM's network adapters for its tenant interfaces: New-VM's default adapter goes, and each interface
# gets one on the switch with its static MAC and its network's VLAN (access mode), in order. Without
# interfaces, the host's switch and VLAN (HyperV:SwitchName, HyperV:VlanId) as before.
function Set-VmInterfaces([string] $vmId, $request) {
    if ($request.PSObject.Properties['interfaces'] -and $request.interfaces) {
        Get-VMNetworkAdapter -VMName $vmId | Remove-VMNetworkAdapter
        foreach ($nic in $request.interfaces) {
            Add-TenantAdapter $vmId ([string] $request.switchName) $nic
        }
    } elseif ($request.switchName) {
        Connect-VMNetworkAdapter -VMName $vmId -SwitchName ([string] $request.switchName)
        if ($request.vlanId) {
            Set-VMNetworkAdapterVlan -VMName $vmId -Access -VlanId ([int] $request.vlanId)
        }
    }
}

# One adapter named after its MAC, on the switch, tagged with the interface's VLAN.
function Add-TenantAdapter([string] $vmId, [string] $switchName, $nic) {
    $mac = ([string] $nic.mac).Replace(':', '').ToUpperInvariant()
    if ($mac -notmatch '^[0-9A-F]{12}$') {
        Send-Failure 'ERR_VALIDATION' "invalid MAC '$($nic.mac)'" $false
    }
    $adapter = "oc-$mac"
    Add-VMNetworkAdapter -VMName $vmId -Name $adapter -SwitchName $switchName -StaticMacAddress $mac
    Set-VMNetworkAdapterVlan -VMName $vmId -VMNetworkAdapterName $adapter -Access -VlanId ([int] $nic.vlanId)
    Write-Log "hyperv: $vmId adapter $adapter on $switchName, VLAN $($nic.vlanId), address $($nic.address)"
}
