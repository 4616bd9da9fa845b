<#
.SYNOPSIS
    Reports the Hyper-V host's capacity and its VMs for the agent's heartbeat and local API.
.DESCRIPTION
    Reads {} on stdin; writes { ok, vcpus, ramMb, diskGb, runningVms, vms: [{ name, state, cpu, ramMb }], logs }.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'common.ps1')

try {
    $null = Read-Request
    $hostInfo = Get-VMHost
    $drive = Get-PSDrive -Name ($hostInfo.VirtualHardDiskPath.Substring(0, 1))
    $vms = @(Get-VM | ForEach-Object {
        @{ name = $_.Name; state = [string] $_.State; cpu = $_.ProcessorCount; ramMb = [int64] ($_.MemoryStartup / 1MB) }
    })
    Send-Reply @{
        ok = $true
        vcpus = $hostInfo.LogicalProcessorCount
        ramMb = [int64] ($hostInfo.MemoryCapacity / 1MB)
        diskGb = [int64] (($drive.Used + $drive.Free) / 1GB)
        runningVms = @($vms | Where-Object { $_.state -eq 'Running' }).Count
        vms = $vms
    }
}
catch {
    Send-Exception $_ $true
}
