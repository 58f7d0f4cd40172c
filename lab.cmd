@echo off
rem The exercise checker on Windows: lab list | verify N | watch | hint N | reset N | solution N (lab --help for more).
setlocal
set DOTNET_NOLOGO=1
set DOTNET_CLI_TELEMETRY_OPTOUT=1
if not defined LAB_ROOT set "LAB_ROOT=%~dp0."
if not exist "%~dp0exercises\Checker\bin\Release\net10.0\lab.dll" echo Building the checker (exercises\Checker, first run only: about a minute)... 1>&2
dotnet run --project "%~dp0exercises\Checker" -c Release --verbosity quiet -- %*
exit /b %ERRORLEVEL%
