using WakeWord.Cli;

return await CliApplication.RunAsync(args, Console.Error);
