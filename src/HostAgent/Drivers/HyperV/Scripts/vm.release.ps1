<#
.SYNOPSIS
    The source side of a cold migration: turns off and removes the VM; removes its disks only
    without keepDisks (with shared storage the target runs those very files). Idempotent: a missing
    VM is success.
.DESCRIPTION
    Reads { operationId, vmId, keepDisks, vhdDir } as JSON on stdin; writes { ok, vmId, state, logs }
    or a failure reply. Remove-VM deletes the VM's configuration, never its VHDs.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'common.ps1')

try {
    $request = Read-Request
    $vmId = [string] $request.vmId
    $vm = Get-VM -Name $vmId -ErrorAction SilentlyContinue
    if ($vm) {
        if ([string] $vm.State -ne 'Off') {
            Stop-VM -VM $vm -TurnOff -Force
        }
        Remove-VM -VM $vm -Force
        Write-Log "hyperv: turned off and removed $vmId"
    } else {
        Write-Log "hyperv: $vmId does not exist here; nothing to remove"
    }
    if ([bool] $request.keepDisks) {
        Write-Log "hyperv: kept the disks of $vmId in the shared storage"
    } else {
        foreach ($file in @("$vmId.vhdx", "$vmId-seed.vhdx")) {
            $path = Join-Path ([string] $request.vhdDir) $file
            if (Test-Path $path) {
                Remove-Item -Force $path
                Write-Log "hyperv: removed $path"
            }
        }
    }
    Send-Reply @{ ok = $true; vmId = $vmId; state = 'Released' }
}
catch {
    Send-Exception $_ $true
}
