using System.CommandLine;
using System.Globalization;
using Nonlinear.Activations;
using Spectre.Console;

namespace Nonlinear.Cli.Commands;

/// <summary>`nonlinear activations list|show`: browse the catalog.</summary>
internal static class ActivationsCommand
{
    public static Command Create()
    {
        var cmd = new Command("activations", "Browse the activation catalog.");

        var family = new Option<string?>("--family") { Description = "Only this family (relu, sigmoid, gated, exponential, shrink, …)." };
        var property = new Option<string[]>("--property") { Description = "Only entries with this property (repeatable): " + string.Join(", ", PropertyNames()), AllowMultipleArgumentsPerToken = true };
        var list = new Command("list", "Table of all activations.") { family, property };
        list.SetAction(pr => List(pr.GetValue(family), pr.GetValue(property) ?? []));
        cmd.Subcommands.Add(list);

        var name = new Argument<string>("name") { Description = "Name or alias, optionally with parameters: elu(alpha=0.5)." };
        var show = new Command("show", "Formula, derivative, parameters, properties and values of one activation.") { name };
        show.SetAction(pr => Show(pr.GetValue(name)!));
        cmd.Subcommands.Add(show);
        return cmd;
    }

    private static IEnumerable<string> PropertyNames() =>
        Enum.GetNames<ActivationProperties>().Where(n => n != nameof(ActivationProperties.None)).Select(n => n.ToLowerInvariant());

    private static ActivationProperties ParseProperties(string[] names)
    {
        var result = ActivationProperties.None;
        foreach (var n in names)
        {
            if (!Enum.TryParse<ActivationProperties>(n, ignoreCase: true, out var p) || p == ActivationProperties.None)
                throw new ArgumentException($"--property: unknown property '{n}'; expected one of {string.Join(", ", PropertyNames())}.");
            result |= p;
        }
        return result;
    }

    private static int List(string? family, string[] properties)
    {
        var entries = ActivationCatalog.Filter(family, ParseProperties(properties)).ToList();
        if (family is not null && entries.Count == 0 && !ActivationCatalog.All.Any(e => e.Info.Family.Equals(family, StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"--family: unknown family '{family}'; expected one of {string.Join(", ", ActivationCatalog.All.Select(e => e.Info.Family).Distinct())}.");
        var table = new Table().AddColumns("name", "family", "formula", "parameters", "properties", "PyTorch");
        foreach (var e in entries)
        {
            var i = e.Info;
            table.AddRow(Markup.Escape(i.Name), Markup.Escape(i.Family), Markup.Escape(i.Formula),
                Markup.Escape(string.Join(", ", i.Parameters.Select(p => $"{p.Name}={Fmt(p.Default)}"))),
                Markup.Escape(i.Properties == ActivationProperties.None ? "" : i.Properties.ToString().ToLowerInvariant()),
                Markup.Escape(i.PyTorch ?? ""));
        }
        AnsiConsole.Write(table);
        Console.WriteLine($"{entries.Count} of {ActivationCatalog.All.Count} activations.");
        return 0;
    }

    private static int Show(string spec)
    {
        var act = ActivationCatalog.Parse(spec);
        var i = act.Info;
        Console.WriteLine($"{act}  ({i.Family})");
        if (i.Aliases.Count > 0) Console.WriteLine($"  aliases:    {string.Join(", ", i.Aliases)}");
        Console.WriteLine($"  f(x)     = {i.Formula}");
        Console.WriteLine($"  f'(x)    = {i.Derivative}{(i.BackwardIsExact ? "" : "   (backward uses a different rule)")}");
        for (int k = 0; k < i.Parameters.Count; k++)
        {
            var p = i.Parameters[k];
            Console.WriteLine($"  {p.Name} = {Fmt(act.Parameters[k])} (default {Fmt(p.Default)}): {p.Description}{(p.OtherDefaults is null ? "" : $" [{p.OtherDefaults}]")}");
        }
        Console.WriteLine($"  properties: {(i.Properties == ActivationProperties.None ? "none" : i.Properties.ToString().ToLowerInvariant())}");
        Console.WriteLine($"  backward reads: {i.Uses.ToString().ToLowerInvariant()}");
        Console.WriteLine($"  vector path: {(i.FusedVectorPath ? "fused" : "lane-wise (scalar formula per lane)")}");
        if (i.Paper is not null) Console.WriteLine($"  paper:      {i.Paper}{(i.Year is int y ? $" ({y})" : "")}");
        if (i.PyTorch is not null) Console.WriteLine($"  PyTorch:    {i.PyTorch}");
        if (i.Notes is not null) Console.WriteLine($"  notes:      {i.Notes}");
        double[] xs = [-5, -2, -1, -0.5, 0, 0.5, 1, 2, 5];
        var xf = xs.Select(v => (float)v).ToArray();
        var yf = new float[xs.Length];
        var dy = Enumerable.Repeat(1f, xs.Length).ToArray();
        var dx = new float[xs.Length];
        act.Forward(xf, yf);
        act.Backward(xf, yf, dy, dx);
        Console.WriteLine("       x        f(x)       f'(x)");
        for (int k = 0; k < xs.Length; k++)
            Console.WriteLine($"  {xs[k],6:0.##}  {yf[k],10:0.######}  {dx[k],10:0.######}");
        return 0;
    }

    private static string Fmt(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
