<#
.SYNOPSIS
    Starts an OrleansCloud VM. Idempotent: a VM already in that state is success; a missing one is ERR_NOT_FOUND.
.DESCRIPTION
    Reads { operationId, vmId } as JSON on stdin; writes { ok, vmId, state, logs } or a failure reply.
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
    if (-not $vm) {
        Reply @{ ok = $false; code = 'ERR_NOT_FOUND'; message = "$vmId does not exist"; retryable = $false } 1
    }
    if ($vm.State -ne 'Running') {
        Start-VM -VM $vm
        $logs.Add("hyperv: start $vmId")
    } else {
        $logs.Add("hyperv: $vmId is already Running")
    }
    Reply @{ ok = $true; vmId = $vmId; state = 'Running' } 0
}
catch {
    [Console]::Error.WriteLine($_.Exception.ToString())
    Reply @{ ok = $false; code = 'ERR_HOST_OPERATION_FAILED'; message = $_.Exception.Message; retryable = $true } 1
}
