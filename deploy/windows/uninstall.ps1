<#
.SYNOPSIS
Removes what deploy\windows\install.ps1 installed.

.DESCRIPTION
Stops and deletes the WakeWord service, removes the program folder and the data folder with its logs.
<DataDir>\appsettings.json is kept if it differs from the shipped settings (an administrator edited it; delete it
yourself if you do not want it). -WhatIf prints every step ("plan: ...") and changes nothing.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string]$InstallDir = $(if ($env:ProgramFiles) { Join-Path $env:ProgramFiles 'WakeWord' } else { 'C:\Program Files\WakeWord' }),
    [string]$DataDir = $(if ($env:ProgramData) { Join-Path $env:ProgramData 'WakeWord' } else { 'C:\ProgramData\WakeWord' })
)

$ErrorActionPreference = 'Stop'
# One line on stderr and exit 1 for every failure, not PowerShell's multi-line error record.
trap { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }
. (Join-Path $PSScriptRoot 'layout.ps1')
$script:Cmdlet = $PSCmdlet
$script:StepAction = 'uninstall'


if (-not [bool]$WhatIfPreference -and -not $IsWindows) {
    throw 'uninstall.ps1: this removes a Windows service; run it on Windows (or with -WhatIf to see the plan)'
}

if (Test-ServiceInstalled) {
    Step "sc.exe stop $ServiceName" { Stop-Service -Name $ServiceName -Force }
    Step "sc.exe delete $ServiceName" {
        sc.exe delete $ServiceName | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "uninstall.ps1: sc.exe delete failed ($LASTEXITCODE)" }
    }
}

# The config is compared with the shipped file before the program (which holds that file) goes.
$config = Join $DataDir 'appsettings.json'
$keep = (Test-Path $config) -and -not (Test-SameFile $config (Join $InstallDir 'appsettings.json'))
Step "remove $InstallDir" { if (Test-Path $InstallDir) { Remove-Item $InstallDir -Recurse -Force } }
if ($keep) {
    Step "remove $DataDir except the edited $config" {
        Get-ChildItem $DataDir -Force | Where-Object { $_.FullName -ne (Resolve-Path $config).Path } | Remove-Item -Recurse -Force
    }
}
else {
    Step "remove $DataDir" { if (Test-Path $DataDir) { Remove-Item $DataDir -Recurse -Force } }
}
if ($WhatIfPreference) { Write-Output "uninstall.ps1: -WhatIf: nothing was changed"; return }
Write-Output "uninstall.ps1: removed the WakeWord service$(if ($keep) { "; kept $config (it differs from the shipped settings)" })"
