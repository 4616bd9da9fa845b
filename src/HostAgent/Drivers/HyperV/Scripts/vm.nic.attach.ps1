<#
.SYNOPSIS
    Gives an OrleansCloud VM one more network adapter for a tenant interface. Idempotent by MAC.
.DESCRIPTION
    Reads { operationId, vmId, switchName, interface: { mac, vlanId, address, network } } on stdin;
    writes { ok, vmId, logs } or a failure reply. A missing VM is ERR_NOT_FOUND. Hyper-V adds a
    synthetic adapter to a running generation 2 VM live, and to any VM that is Off.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'common.ps1')

try {
    $request = Read-Request
    $vmId = [string] $request.vmId
    if (-not (Get-VM -Name $vmId -ErrorAction SilentlyContinue)) {
        Send-Failure 'ERR_NOT_FOUND' "$vmId does not exist" $false
    }
    $mac = ([string] $request.interface.mac).Replace(':', '').ToUpperInvariant()
    if (Get-VMNetworkAdapter -VMName $vmId | Where-Object { $_.MacAddress -eq $mac }) {
        Write-Log "hyperv: $vmId has adapter $mac already"
    } else {
        Add-TenantAdapter $vmId ([string] $request.switchName) $request.interface
    }
    Send-Reply @{ ok = $true; vmId = $vmId }
}
catch {
    Send-Exception $_ $true
}
