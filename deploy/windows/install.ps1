<#
.SYNOPSIS
Installs the WakeWord service on Windows, or upgrades an installed one.

.DESCRIPTION
From an elevated PowerShell:
    deploy\windows\install.ps1                     # publishes src\WakeWord.Service (needs the .NET SDK)
    deploy\windows\install.ps1 -From C:\published  # a folder made by: dotnet publish src\WakeWord.Service -c Release -r win-x64 --self-contained -o C:\published
    deploy\windows\install.ps1 -WhatIf             # prints every step it would take ("plan: ..."), changes nothing

What it does (the Windows counterpart of deploy/linux/install.sh):
  - the program in -InstallDir (default %ProgramFiles%\WakeWord), replaced as a whole on upgrade;
  - the settings in -DataDir (default %ProgramData%\WakeWord)\appsettings.json: the shipped file on a first install;
    on upgrade an edited file is kept and the new shipped one is put beside it as appsettings.json.dist;
  - the logs in <DataDir>\logs; the folder writable by SYSTEM and Administrators only, readable by -PipeGroup;
  - the service WakeWord (LocalSystem, delayed automatic start) with recovery actions: restart after 5 s, 5 s, then
    30 s, the count reset after a day, also when the service stops with an error exit code;
  - the service's environment: WAKEWORD_CONFIG (the settings above), the log path, and Events__Group (who may open
    the event pipe \\.\pipe\wakeword-events; default BUILTIN\Users, every local user);
  - then it starts the service (or restarts it on upgrade).
deploy\windows\uninstall.ps1 undoes all of it.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string]$From,
    [string]$InstallDir = $(if ($env:ProgramFiles) { Join-Path $env:ProgramFiles 'WakeWord' } else { 'C:\Program Files\WakeWord' }),
    [string]$DataDir = $(if ($env:ProgramData) { Join-Path $env:ProgramData 'WakeWord' } else { 'C:\ProgramData\WakeWord' }),
    [string]$PipeGroup = 'BUILTIN\Users'
)

$ErrorActionPreference = 'Stop'
# One line on stderr and exit 1 for every failure, not PowerShell's multi-line error record.
trap { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }
. (Join-Path $PSScriptRoot 'layout.ps1')
$script:Cmdlet = $PSCmdlet
$script:StepAction = 'install'


$dryRun = [bool]$WhatIfPreference
if (-not $dryRun) {
    if (-not $IsWindows) { throw 'install.ps1: this installs a Windows service; run it on Windows (or with -WhatIf to see the plan)' }
    $admin = ([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
    if (-not $admin) { throw 'install.ps1: run it from an elevated PowerShell (Run as administrator)' }
}

$repo = Split-Path (Split-Path $PSScriptRoot)
if (-not $From) {
    $From = Join-Path ([IO.Path]::GetTempPath()) "wakeword-publish-$PID"
    Step "dotnet publish $repo\src\WakeWord.Service -c Release -r win-x64 --self-contained -o $From" {
        dotnet publish (Join-Path $repo 'src/WakeWord.Service') -c Release -r win-x64 --self-contained -o $From --nologo -v quiet | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "install.ps1: dotnet publish failed ($LASTEXITCODE)" }
    }
}
elseif (-not (Test-Path (Join $From $ServiceExe))) {
    throw "install.ps1: '$From' is not a published service folder (no $ServiceExe in it; publish with -r win-x64)"
}
elseif (-not (Test-Path (Join $From 'appsettings.json'))) {
    throw "install.ps1: '$From' has no appsettings.json"
}

$config = Join $DataDir 'appsettings.json'
$shipped = Join $InstallDir 'appsettings.json'
# Judged before the old program (which holds the shipped file it came with) is replaced.
$edited = (Test-Path $config) -and -not (Test-SameFile $config $shipped)
$installed = Test-ServiceInstalled

if ($installed) {
    Step "sc.exe stop $ServiceName" { Stop-Service -Name $ServiceName -Force }
}

Step "copy $From to $InstallDir (replacing the old program as a whole)" {
    $new = "$InstallDir.new"
    if (Test-Path $new) { Remove-Item $new -Recurse -Force }
    Copy-Item $From $new -Recurse
    if (Test-Path $InstallDir) { Remove-Item $InstallDir -Recurse -Force }
    Move-Item $new $InstallDir
}

Step "create $DataDir and $(Join $DataDir 'logs')" {
    New-Item -ItemType Directory -Force -Path (Join $DataDir 'logs') | Out-Null
}
Step "icacls $DataDir /inheritance:r /grant:r SYSTEM:(OI)(CI)F Administrators:(OI)(CI)F ${PipeGroup}:(OI)(CI)RX" {
    icacls $DataDir /inheritance:r /grant:r 'SYSTEM:(OI)(CI)F' 'Administrators:(OI)(CI)F' "${PipeGroup}:(OI)(CI)RX" | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "install.ps1: icacls failed on $DataDir ($LASTEXITCODE)" }
}

if ($edited) {
    Step "keep the edited $config; write the new shipped settings to $config.dist" {
        Copy-Item (Join $InstallDir 'appsettings.json') "$config.dist" -Force
    }
}
else {
    Step "copy the shipped settings to $config" {
        Copy-Item (Join $InstallDir 'appsettings.json') $config -Force
    }
}

$binPath = "`"$(Join $InstallDir $ServiceExe)`""
if (-not $installed) {
    Step "sc.exe create $ServiceName binPath= $binPath start= delayed-auto DisplayName= `"$DisplayName`"" {
        sc.exe create $ServiceName binPath= $binPath start= delayed-auto DisplayName= $DisplayName | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "install.ps1: sc.exe create failed ($LASTEXITCODE)" }
    }
}
else {
    Step "sc.exe config $ServiceName binPath= $binPath start= delayed-auto" {
        sc.exe config $ServiceName binPath= $binPath start= delayed-auto | Out-Null
    }
}
Step "sc.exe description $ServiceName `"$Description`"" { sc.exe description $ServiceName $Description | Out-Null }
Step "sc.exe failure $ServiceName reset= 86400 actions= restart/5000/restart/5000/restart/30000" {
    sc.exe failure $ServiceName reset= 86400 actions= restart/5000/restart/5000/restart/30000 | Out-Null
}
# Recovery also when the service stops itself with an error exit code (2 configuration, 3 audio, 4 model), not only on a crash.
Step "sc.exe failureflag $ServiceName 1" { sc.exe failureflag $ServiceName 1 | Out-Null }

$environment = @(
    "WAKEWORD_CONFIG=$config",
    "Serilog__WriteTo__1__Args__path=$(Join (Join $DataDir 'logs') 'wakeword-.log')",
    "Events__Group=$PipeGroup"
)
Step "set the service environment ($ServiceKey\Environment): $($environment -join '; ')" {
    New-ItemProperty -Path $ServiceKey -Name Environment -PropertyType MultiString -Value $environment -Force | Out-Null
}

Step "sc.exe start $ServiceName" { Start-Service -Name $ServiceName }
if ($WhatIfPreference) { Write-Output "install.ps1: -WhatIf: nothing was changed"; return }
Write-Output "install.ps1: settings in $config (thresholds and models reload live); logs in $(Join $DataDir 'logs'); events on \\.\pipe\wakeword-events for $PipeGroup"
