<#
.SYNOPSIS
    Turns off and removes an OrleansCloud VM and its disks. Idempotent: a missing VM is success.
.DESCRIPTION
    Reads { operationId, vmId, vhdDir } as JSON on stdin; writes { ok, vmId, logs } or a failure reply.
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
    $request = [Console]::In.ReadToEnd() | ConvertFrom-Json
    $vmId = [string] $request.vmId
    if ($vmId -notmatch '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$') {
        Reply @{ ok = $false; code = 'ERR_VALIDATION'; message = "invalid vm id '$vmId'"; retryable = $false } 1
    }

    Import-Module Hyper-V
    $vm = Get-VM -Name $vmId -ErrorAction SilentlyContinue
    if ($vm) {
        Stop-VM -VM $vm -TurnOff -Force -ErrorAction SilentlyContinue
        Remove-VM -VM $vm -Force
        $logs.Add("hyperv: turned off and removed $vmId")
    } else {
        $logs.Add("hyperv: $vmId does not exist; nothing to remove")
    }
    foreach ($file in @("$vmId.vhdx", "$vmId-seed.vhdx")) {
        $path = Join-Path ([string] $request.vhdDir) $file
        if (Test-Path $path) { Remove-Item -Force $path; $logs.Add("hyperv: removed $path") }
    }
    Reply @{ ok = $true; vmId = $vmId; state = 'Deleted' } 0
}
catch {
    [Console]::Error.WriteLine($_.Exception.ToString())
    Reply @{ ok = $false; code = 'ERR_HOST_OPERATION_FAILED'; message = $_.Exception.Message; retryable = $true } 1
}
