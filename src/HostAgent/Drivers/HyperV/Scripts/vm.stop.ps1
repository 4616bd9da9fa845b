<#
.SYNOPSIS
    Stops an OrleansCloud VM. Idempotent: a VM already Off is success; a missing one is ERR_NOT_FOUND.
.DESCRIPTION
    Reads { operationId, vmId, force } as JSON on stdin; writes { ok, vmId, state, logs } or a failure reply.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'common.ps1')

try {
    $request = Read-Request
    Set-PowerState ([string] $request.vmId) 'Off' ([bool] $request.force)
}
catch {
    Send-Exception $_ $true
}
