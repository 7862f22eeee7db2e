return Nonlinear.Cli.CliApp.Run(args);
