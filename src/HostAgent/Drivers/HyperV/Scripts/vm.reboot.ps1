<#
.SYNOPSIS
    Reboots a running OrleansCloud VM. A missing VM is ERR_NOT_FOUND; one that is not Running is
    ERR_INVALID_STATE_TRANSITION.
.DESCRIPTION
    Reads { operationId, vmId, force, shutdownTimeoutSeconds } as JSON on stdin; writes
    { ok, vmId, state, logs } or a failure reply.
    force: Restart-VM -Force, a hard reset at once (Restart-VM always resets; -Force only skips the prompt).
    Otherwise a cold reboot: a guest shutdown through the integration services (Stop-VM), up to
    shutdownTimeoutSeconds, a turn-off if the guest did not comply, then Start-VM. Hyper-V, like
    libvirt, cannot report when an in-guest reboot has finished; a cold reboot is one it can report.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'common.ps1')

try {
    $request = Read-Request
    $vmId = [string] $request.vmId
    $vm = Get-VM -Name $vmId -ErrorAction SilentlyContinue
    if (-not $vm) {
        Send-Failure 'ERR_NOT_FOUND' "$vmId does not exist" $false
    }
    if ([string] $vm.State -ne 'Running') {
        Send-Failure 'ERR_INVALID_STATE_TRANSITION' "$vmId is $($vm.State), not Running" $false
    }

    if ([bool] $request.force) {
        Restart-VM -VM $vm -Force
        Write-Log "hyperv: reset $vmId"
    } else {
        $timeout = [int] $request.shutdownTimeoutSeconds
        $job = Stop-VM -VM $vm -Force -AsJob
        $finished = Wait-Job -Job $job -Timeout $timeout
        if (-not $finished) {
            Stop-Job -Job $job
        }
        Remove-Job -Job $job -Force
        if ([string] (Get-VM -Name $vmId).State -ne 'Off') {
            Stop-VM -Name $vmId -TurnOff -Force
            Write-Log "hyperv: $vmId did not shut down within $timeout s; turned it off"
        }
        Start-VM -Name $vmId
        Write-Log "hyperv: rebooted $vmId (shut down and started again)"
    }
    Send-Reply @{ ok = $true; vmId = $vmId; state = 'Running' }
}
catch {
    Send-Exception $_ $true
}
