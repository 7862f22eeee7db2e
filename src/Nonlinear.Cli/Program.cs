Nonlinear.Cli.GcBudget.Apply(args);
return Nonlinear.Cli.CliApp.Run(args);
