using Lab.Checker.Cli;

return await LabApp.RunAsync(args, LabConsole.FromSystem(), CancellationToken.None);
