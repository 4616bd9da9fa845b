<#
.SYNOPSIS
    Reports the Hyper-V host's capacity and its OrleansCloud VMs for the agent's heartbeat.
.DESCRIPTION
    Reads {} (ignored) on stdin; writes { ok, vcpus, ramMb, diskGb, runningVms, vms: [{ name, state, cpu, ramMb }], logs }.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$logs = [System.Collections.Generic.List[string]]::new()

function Reply([hashtable] $body, [int] $exitCode) {
    $body['logs'] = @($logs)
    [Console]::Out.WriteLine(($body | ConvertTo-Json -Compress -Depth 6))
    exit $exitCode
}

try {
    $null = [Console]::In.ReadToEnd()
    Import-Module Hyper-V
    $hostInfo = Get-VMHost
    $drive = Get-PSDrive -Name ($hostInfo.VirtualHardDiskPath.Substring(0, 1))
    $vms = @(Get-VM | ForEach-Object {
        @{ name = $_.Name; state = [string] $_.State; cpu = $_.ProcessorCount; ramMb = [int64] ($_.MemoryStartup / 1MB) }
    })
    Reply @{
        ok = $true
        vcpus = $hostInfo.LogicalProcessorCount
        ramMb = [int64] ($hostInfo.MemoryCapacity / 1MB)
        diskGb = [int64] (($drive.Used + $drive.Free) / 1GB)
        runningVms = @($vms | Where-Object { $_.state -eq 'Running' }).Count
        vms = $vms
    } 0
}
catch {
    [Console]::Error.WriteLine($_.Exception.ToString())
    Reply @{ ok = $false; code = 'ERR_HOST_OPERATION_FAILED'; message = $_.Exception.Message; retryable = $true } 1
}
