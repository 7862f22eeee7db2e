using System.CommandLine;

namespace Nonlinear.Cli.Commands;

/// <summary>The commands beside `activations`, in the order `--help` lists them; one line registers a command.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> Extra() =>
    [
        DemoCommand.Create(),
        CompareCommand.Create(),
        TrainCommand.Create(),
        EvalCommand.Create(),
        FitCommand.Create(),
        LmCommand.Create(),
        GrokCommand.Create(),
        RunsCommand.Create(),
        SweepCommand.Create(),
        SearchCommand.Create(),
        ServeCommand.Create(),
        InspectCommand.Create(),
        ProbeCommand.Create(),
        SaeCommand.Create(),
        ExportCommand.Create(),
        QuantizeCommand.Create(),
        ReservoirCommand.Create(),
    ];
}
