# Where the Windows install puts things and how it tells them apart: dot-sourced by install.ps1 and uninstall.ps1.
$ServiceName = 'WakeWord'
$ServiceExe = 'wakeword-service.exe'
$DisplayName = 'WakeWord wake-word detection'
$Description = 'Listens to the microphone for a wake word and tells local programs over \\.\pipe\wakeword-events.'
$ServiceKey = "HKLM:\SYSTEM\CurrentControlSet\Services\$ServiceName"

function Test-ServiceInstalled {
    # Get-Service exists on Windows only; elsewhere (a -WhatIf run on Linux) nothing is installed.
    if (-not (Get-Command Get-Service -ErrorAction SilentlyContinue)) { return $false }
    return [bool](Get-Service -Name $ServiceName -ErrorAction SilentlyContinue)
}

function Test-SameFile([string]$A, [string]$B) {
    if (-not ((Test-Path $A) -and (Test-Path $B))) { return $false }
    return (Get-FileHash $A).Hash -eq (Get-FileHash $B).Hash
}

function Join([string]$Base, [string]$Child) {
    # The separator the base path already uses: Windows paths stay Windows paths in a -WhatIf run on Linux (where
    # Join-Path refuses a drive it does not have), and the test's Linux folders stay Linux paths.
    if ($Base.Contains('\')) { return $Base.TrimEnd('\') + '\' + $Child }
    return [IO.Path]::Combine($Base, $Child)
}

function Step([string]$What, [scriptblock]$Do) {
    # -WhatIf: say the step ("plan: ..."), do nothing. Otherwise do it. $Cmdlet and $StepAction are the calling script's.
    if ($script:Cmdlet.ShouldProcess($What, $script:StepAction)) { & $Do } else { Write-Output "plan: $What" }
}
