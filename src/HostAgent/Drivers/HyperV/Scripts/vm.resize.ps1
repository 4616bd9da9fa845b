<#
.SYNOPSIS
    Gives a stopped OrleansCloud VM a new size: processors, startup memory, and a disk that only grows.
    Idempotent: setting the size it has changes nothing. A missing VM is ERR_NOT_FOUND; one that is
    not Off is ERR_INVALID_STATE_TRANSITION (the resize is cold on every hypervisor).
.DESCRIPTION
    Reads { operationId, vmId, cpu, ramMb, diskGb, vhdDir } as JSON on stdin; writes
    { ok, vmId, state, logs } or a failure reply.
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
    if ([string] $vm.State -ne 'Off') {
        Send-Failure 'ERR_INVALID_STATE_TRANSITION' "$vmId is $($vm.State); it must be Off to be resized" $false
    }

    Set-VMProcessor -VM $vm -Count ([int] $request.cpu)
    Set-VMMemory -VM $vm -StartupBytes ([int64] $request.ramMb * 1MB)
    $disk = Join-Path ([string] $request.vhdDir) "$vmId.vhdx"
    $wanted = [int64] $request.diskGb * 1GB
    $size = (Get-VHD -Path $disk).Size
    if ($wanted -gt $size) {
        Resize-VHD -Path $disk -SizeBytes $wanted
        Write-Log "hyperv: grew $disk to $($request.diskGb) GB"
    } else {
        Write-Log "hyperv: $disk is $([int64] ($size / 1GB)) GB already; a disk never shrinks"
    }
    Write-Log "hyperv: resized $vmId to $($request.cpu) vcpu, $($request.ramMb) MB"
    Send-Reply @{ ok = $true; vmId = $vmId; state = 'Off' }
}
catch {
    Send-Exception $_ $true
}
