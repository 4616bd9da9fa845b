<#
.SYNOPSIS
    Creates and starts a Hyper-V VM for OrleansCloud. Idempotent by VM name.
.DESCRIPTION
    Reads one JSON request on stdin:
      { operationId, vmId, name, cpu, ramMb, diskGb, imageId, generation, cloudInit, switchName, vlanId, interfaces, networkConfig, vhdDir, imagesDir }
    Writes one JSON reply on stdout:
      { ok: true, vmId, state, addresses, logs }  or  { ok: false, code, message, retryable, logs }
    A VM that already exists under this id is started if needed and reported as done (the operation
    id goes into its notes). Whatever this run created is removed again when a later step fails.
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
        if ($existing.State -ne 'Running') {
            Start-VM -VM $existing
            Write-Log "hyperv: $vmId existed ($($existing.State)); started it"
        } else {
            Write-Log "hyperv: $vmId exists and runs; nothing to do"
        }
        $addresses = @((Get-VMNetworkAdapter -VM $existing).IPAddresses | Where-Object { $_ -match '^\d+\.\d+\.\d+\.\d+$' })
        Send-Reply @{ ok = $true; vmId = $vmId; state = 'Running'; addresses = $addresses }
    }

    $vhdDir = [string] $request.vhdDir
    New-Item -ItemType Directory -Force -Path $vhdDir | Out-Null
    $disk = Join-Path $vhdDir "$vmId.vhdx"
    $image = Join-Path ([string] $request.imagesDir) ("{0}.vhdx" -f $request.imageId)
    if (Test-Path $image) {
        New-VHD -Path $disk -ParentPath $image -Differencing | Out-Null
        Resize-VHD -Path $disk -SizeBytes ([int64] $request.diskGb * 1GB)
        Write-Log "hyperv: differencing disk on $image"
    } else {
        New-VHD -Path $disk -SizeBytes ([int64] $request.diskGb * 1GB) -Dynamic | Out-Null
        Write-Log "hyperv: image $($request.imageId) not found; blank $($request.diskGb) GB disk"
    }
    $undo.Add({ Remove-Item -Force -ErrorAction SilentlyContinue $disk })

    # NoCloud seed: a small VHD labelled CIDATA holding user-data and meta-data.
    $seed = Join-Path $vhdDir "$vmId-seed.vhdx"
    New-VHD -Path $seed -SizeBytes 8MB -Dynamic | Out-Null
    $undo.Add({ Dismount-VHD -Path $seed -ErrorAction SilentlyContinue; Remove-Item -Force -ErrorAction SilentlyContinue $seed })
    $mounted = Mount-VHD -Path $seed -Passthru | Get-Disk
    Initialize-Disk -Number $mounted.Number -PartitionStyle MBR
    $volume = New-Partition -DiskNumber $mounted.Number -UseMaximumSize -AssignDriveLetter | Format-Volume -FileSystem FAT32 -NewFileSystemLabel 'CIDATA'
    $root = "$($volume.DriveLetter):\"
    Set-Content -Path (Join-Path $root 'user-data') -Value ("#cloud-config`n" + ($request.cloudInit | ConvertTo-Json -Compress -Depth 20)) -Encoding ascii
    Set-Content -Path (Join-Path $root 'meta-data') -Value "instance-id: $vmId`nlocal-hostname: $($request.name)" -Encoding ascii
    if ($request.PSObject.Properties['networkConfig'] -and $request.networkConfig) {
        Set-Content -Path (Join-Path $root 'network-config') -Value ([string] $request.networkConfig) -Encoding ascii
    }
    Dismount-VHD -Path $seed

    $vm = New-VM -Name $vmId -Generation ([int] $request.generation) -MemoryStartupBytes ([int64] $request.ramMb * 1MB) -VHDPath $disk
    $undo.Add({ Stop-VM -Name $vmId -TurnOff -Force -ErrorAction SilentlyContinue; Remove-VM -Name $vmId -Force -ErrorAction SilentlyContinue })
    Set-VM -VM $vm -Notes ("orleanscloud operation {0}" -f $request.operationId) -AutomaticStartAction Nothing
    Set-VMProcessor -VM $vm -Count ([int] $request.cpu)
    Set-VMMemory -VM $vm -DynamicMemoryEnabled $false
    Add-VMHardDiskDrive -VM $vm -Path $seed
    Set-VmInterfaces $vmId $request
    Start-VM -VM $vm
    Write-Log "hyperv: created and started $vmId ($($request.cpu) vcpu, $($request.ramMb) MB, generation $($request.generation))"
    Send-Reply @{ ok = $true; vmId = $vmId; state = 'Running'; addresses = @() }
}
catch {
    $failure = $_
    # Undo, newest first, what this run created.
    for ($i = $undo.Count - 1; $i -ge 0; $i--) {
        try { & $undo[$i] } catch { Write-Log "hyperv: cleanup step failed: $($_.Exception.Message)" }
    }
    Send-Exception $failure $false
}
