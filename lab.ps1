# The exercise checker from PowerShell: ./lab.ps1 list | verify N | watch | hint N | reset N | solution N.
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
if (-not $env:LAB_ROOT) { $env:LAB_ROOT = $PSScriptRoot }
if (-not (Test-Path (Join-Path $PSScriptRoot 'exercises/Checker/bin/Release/net10.0/lab.dll'))) {
    [Console]::Error.WriteLine('Building the checker (exercises/Checker, first run only: about a minute)...')
}
dotnet run --project (Join-Path $PSScriptRoot 'exercises/Checker') -c Release --verbosity quiet -- @args
exit $LASTEXITCODE
