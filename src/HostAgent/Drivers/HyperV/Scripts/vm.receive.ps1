<#
.SYNOPSIS
    The target side of a cold migration: creates (without starting) the VM over its disk in the
    area's shared storage. Idempotent: a VM already there is success.
.DESCRIPTION
    Reads { operationId, vmId, sourceHost, name, cpu, ramMb, generation, switchName, vlanId, interfaces, vhdDir }
    as JSON on stdin; writes { ok, vmId, state, facts: { disk: 'shared' }, logs } or a failure reply.
    The hosts of an area share their VHD directory, so {vhdDir}\{vmId}.vhdx is the very disk the
    source ran. The VM is made anew with New-VM over that VHD (and the seed VHD, when present)
    rather than with Import-VM: only the disks live in shared storage, not the source's
    configuration files, and the spec carries everything else. Without the disk the receive fails
    for good (no disk is copied). Whatever this run created is removed again when a later step
    fails; the disks never are.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'common.ps1')
$undo = [System.Collections.Generic.List[scriptblock]]::new()

try {
    $request = Read-Request
    $vmId = [string] $request.vmId
    $existing = Get-VM -Name $vmId -ErrorAction SilentlyContinue
    if ($existing) {
        Write-Log "hyperv: $vmId exists here already ($($existing.State)); nothing to do"
        Send-Reply @{ ok = $true; vmId = $vmId; state = [string] $existing.State; facts = @{ disk = 'shared' } }
    }

    $vhdDir = [string] $request.vhdDir
    $disk = Join-Path $vhdDir "$vmId.vhdx"
    if (-not (Test-Path $disk)) {
        Send-Failure 'ERR_HOST_OPERATION_FAILED' "cold migration of $vmId from $($request.sourceHost) needs the area's shared storage: $disk is not on this host" $false
    }

    $vm = New-VM -Name $vmId -Generation ([int] $request.generation) -MemoryStartupBytes ([int64] $request.ramMb * 1MB) -VHDPath $disk
    # Remove-VM leaves the VHDs alone: undoing never touches the shared disk.
    $undo.Add({ Remove-VM -Name $vmId -Force -ErrorAction SilentlyContinue })
    Set-VM -VM $vm -Notes ("orleanscloud operation {0}, from {1}" -f $request.operationId, $request.sourceHost) -AutomaticStartAction Nothing
    Set-VMProcessor -VM $vm -Count ([int] $request.cpu)
    Set-VMMemory -VM $vm -DynamicMemoryEnabled $false
    $seed = Join-Path $vhdDir "$vmId-seed.vhdx"
    if (Test-Path $seed) {
        Add-VMHardDiskDrive -VM $vm -Path $seed
    } else {
        Write-Log "hyperv: no seed disk $seed; the guest keeps the cloud-init state of its first boot"
    }
    Set-VmInterfaces $vmId $request
    Write-Log "hyperv: $vmId from $($request.sourceHost) created over the shared disk $disk (not started)"
    Send-Reply @{ ok = $true; vmId = $vmId; state = 'Off'; facts = @{ disk = 'shared' } }
}
catch {
    $failure = $_
    for ($i = $undo.Count - 1; $i -ge 0; $i--) {
        try { & $undo[$i] } catch { Write-Log "hyperv: cleanup step failed: $($_.Exception.Message)" }
    }
    # Safe to retry: this run's VM is gone again and the disk was never touched.
    Send-Exception $failure $true
}
