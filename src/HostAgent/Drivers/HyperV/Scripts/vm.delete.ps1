<#
.SYNOPSIS
    Turns off and removes an OrleansCloud VM and its disks. Idempotent: a missing VM is success.
.DESCRIPTION
    Reads { operationId, vmId, vhdDir } as JSON on stdin; writes { ok, vmId, state, logs } or a failure reply.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'common.ps1')

try {
    $request = Read-Request
    $vmId = [string] $request.vmId
    $vm = Get-VM -Name $vmId -ErrorAction SilentlyContinue
    if ($vm) {
        Stop-VM -VM $vm -TurnOff -Force -ErrorAction SilentlyContinue
        Remove-VM -VM $vm -Force
        Write-Log "hyperv: turned off and removed $vmId"
    } else {
        Write-Log "hyperv: $vmId does not exist; nothing to remove"
    }
    foreach ($file in @("$vmId.vhdx", "$vmId-seed.vhdx")) {
        $path = Join-Path ([string] $request.vhdDir) $file
        if (Test-Path $path) {
            Remove-Item -Force $path
            Write-Log "hyperv: removed $path"
        }
    }
    Send-Reply @{ ok = $true; vmId = $vmId; state = 'Deleted' }
}
catch {
    Send-Exception $_ $true
}
