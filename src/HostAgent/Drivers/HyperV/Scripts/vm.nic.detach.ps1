<#
.SYNOPSIS
    Removes the network adapter of one tenant interface from an OrleansCloud VM. Idempotent: a VM or
    adapter that is not there is success.
.DESCRIPTION
    Reads { operationId, vmId, interface: { mac } } on stdin; writes { ok, vmId, logs } or a failure reply.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'common.ps1')

try {
    $request = Read-Request
    $vmId = [string] $request.vmId
    $mac = ([string] $request.interface.mac).Replace(':', '').ToUpperInvariant()
    $adapters = @(Get-VMNetworkAdapter -VMName $vmId -ErrorAction SilentlyContinue | Where-Object { $_.MacAddress -eq $mac })
    if ($adapters.Count -eq 0) {
        Write-Log "hyperv: $vmId has no adapter $mac; nothing to remove"
    } else {
        $adapters | Remove-VMNetworkAdapter
        Write-Log "hyperv: removed adapter $mac from $vmId"
    }
    Send-Reply @{ ok = $true; vmId = $vmId }
}
catch {
    Send-Exception $_ $true
}
