using System.CommandLine;
using System.Globalization;
using Nonlinear.Activations;
using Nonlinear.Cli.Plotting;
using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;
using Spectre.Console;

namespace Nonlinear.Cli.Commands;

/// <summary>`nonlinear activations list|show|plot`: browse the activation registry (the fixed catalog and the learnable units).</summary>
internal static class ActivationsCommand
{
    /// <summary>Points of the value table in `show`.</summary>
    private static readonly double[] ShowPoints = [-5, -3, -1, -0.5, 0, 0.5, 1, 3, 5];

    public static Command Create()
    {
        var cmd = new Command("activations", "Browse the activation catalog.");

        var family = new Option<string?>("--family") { Description = "Only this family: " + string.Join(", ", ActivationCatalog.Families) + ", or learnable (units trained with the weights)." };
        var property = new Option<string[]>("--property") { Description = "Only entries with this property (repeatable): " + string.Join(", ", ActivationCatalog.PropertyNames), AllowMultipleArgumentsPerToken = true };
        var list = new Command("list", "Table of the activations: name, aliases, family, parameters, properties, fused vector path, year.") { family, property };
        list.SetAction(pr => List(pr.GetValue(family), pr.GetValue(property) ?? []));
        cmd.Subcommands.Add(list);

        var name = new Argument<string>("name") { Description = "Name or alias, optionally with parameters: elu(alpha=0.5)." };
        var show = new Command("show", "Formula, derivative, parameters, properties, reference and values of one activation.") { name };
        show.SetAction(pr => Show(pr.GetValue(name)!));
        cmd.Subcommands.Add(show);

        var names = new Argument<string>("names") { Description = "Comma-separated activations, e.g. gelu,silu,elu(alpha=0.5)." };
        var output = new Option<string>("--out") { Description = "PNG file to write (atomically).", Required = true };
        var range = new Option<string>("--range") { Description = "x range as LO,HI.", DefaultValueFactory = _ => "-5,5" };
        var plot = new Command("plot", "Plot f and f′ of one or more activations into a PNG.") { names, output, range };
        plot.SetAction(pr => Plot(pr.GetValue(names)!, pr.GetValue(output)!, pr.GetValue(range)!));
        cmd.Subcommands.Add(plot);
        return cmd;
    }

    private static int List(string? family, string[] properties)
    {
        var wanted = ActivationProperties.None;
        foreach (var p in properties) wanted |= Wrap("--property", () => ActivationCatalog.ParseProperty(p));
        bool learnableOnly = family?.Trim().Equals(LearnableFamily, StringComparison.OrdinalIgnoreCase) == true;
        var entries = learnableOnly ? [] : Wrap("--family", () => ActivationCatalog.Filter(family, wanted).ToList());
        string[] header = ["name", "aliases", "family", "parameters", "properties", "fused", "year"];
        // Learnable units have no declared properties, so a --property filter leaves them out.
        var units = family is null && wanted == ActivationProperties.None || learnableOnly ? LearnableUnits.All : [];
        var rows = units.Select(Row).Concat(entries.Select(e => Row(e.Info))).ToList();
        if (Console.IsOutputRedirected) WritePlain(header, rows);
        else
        {
            var table = new Table().AddColumns(header);
            foreach (var r in rows) table.AddRow(r.Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
        }
        Console.WriteLine($"{rows.Count} of {ActivationRegistry.All.Count} activations ({LearnableUnits.All.Count} learnable).");
        return 0;
    }

    private const string LearnableFamily = "learnable";

    private static string[] Row(LearnableUnit u) =>
    [
        u.Name, string.Join(", ", u.Aliases), LearnableFamily, string.Join(", ", u.Parameters.Select(p => $"{p.Name}={p.Default}")),
        "", "", u.Year?.ToString(CultureInfo.InvariantCulture) ?? "",
    ];

    private static string[] Row(ActivationInfo i) =>
    [
        i.Name, string.Join(", ", i.Aliases), i.Family,
        string.Join(", ", i.Parameters.Select(p => $"{p.Name}={Fmt(p.Default)}")),
        Properties(i.Properties), i.FusedVectorPath ? "yes" : "no", i.Year?.ToString(CultureInfo.InvariantCulture) ?? "",
    ];

    // Redirected output (pipes, files, grep) gets aligned plain columns: no box characters, no wrapping.
    private static void WritePlain(string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((v, c) => c == cells.Length - 1 ? v : v.PadRight(widths[c]))).TrimEnd();
        Console.WriteLine(Line(header));
        foreach (var r in rows) Console.WriteLine(Line(r));
    }

    private static int Show(string text)
    {
        var spec = ActivationSpec.Parse(text);
        if (spec.Fixed is not { } act) return ShowLearnable(spec, spec.Entry.Learnable!);
        var i = act.Info;
        Console.WriteLine($"{act}  ({i.Family}; fixed: no trained parameters{(ActivationRegistry.TryGet(i.Name.Replace("_fixed", ""), out var other) && other.IsLearnable ? $"; the learnable unit is {other.Name}" : "")})");
        if (i.Aliases.Count > 0) Console.WriteLine($"  aliases:    {string.Join(", ", i.Aliases)}");
        Console.WriteLine($"  f(x)     = {i.Formula}");
        Console.WriteLine($"  f'(x)    = {i.Derivative}{(i.BackwardIsExact ? "" : "   (backward uses a different rule)")}");
        for (int k = 0; k < i.Parameters.Count; k++)
        {
            var p = i.Parameters[k];
            Console.WriteLine($"  {p.Name} = {Fmt(act.Parameters[k])} (default {Fmt(p.Default)}; range [{Fmt(p.Min)}, {Fmt(p.Max)}]): {p.Description}"
                              + (p.OtherDefaults is null ? "" : $"; other frameworks: {p.OtherDefaults}"));
        }
        Console.WriteLine($"  properties: {(i.Properties == ActivationProperties.None ? "none" : Properties(i.Properties))}");
        Console.WriteLine($"  kinks:      {(i.Kinks.Count == 0 ? "none" : string.Join(", ", i.Kinks.Select(Fmt)))}");
        Console.WriteLine($"  backward reads: {i.Uses.ToString().ToLowerInvariant()}; fused vector path: {(i.FusedVectorPath ? "yes" : "no (scalar formula lane by lane)")}");
        if (i.Paper is not null) Console.WriteLine($"  paper:      {i.Paper}{(i.Year is int y ? $" ({y})" : "")}");
        Console.WriteLine($"  PyTorch:    {i.PyTorch ?? "none"}");
        if (i.Notes is not null) Console.WriteLine($"  notes:      {i.Notes}");
        var xf = ShowPoints.Select(v => (float)v).ToArray();
        var yf = new float[xf.Length];
        var dy = Enumerable.Repeat(1f, xf.Length).ToArray();
        var dx = new float[xf.Length];
        act.Forward(xf, yf);
        act.Backward(xf, yf, dy, dx);
        Console.WriteLine("       x        f(x)       f'(x)");
        for (int k = 0; k < xf.Length; k++)
            Console.WriteLine($"  {ShowPoints[k],6:0.##}  {yf[k],10:0.######}  {dx[k],10:0.######}");
        return 0;
    }

    private static int ShowLearnable(ActivationSpec spec, LearnableUnit u)
    {
        string fixedName = u.Name + "_fixed";
        Console.WriteLine($"{spec}  (learnable: its parameters are trained with the weights{(ActivationCatalog.TryGet(fixedName, out _) ? $"; the fixed catalog entry is {fixedName}" : "")})");
        if (u.Aliases.Count > 0) Console.WriteLine($"  aliases:    {string.Join(", ", u.Aliases)}");
        Console.WriteLine($"  f(x)     = {u.Summary}");
        for (int k = 0; k < u.Parameters.Count; k++)
        {
            var p = u.Parameters[k];
            string bounds = p.Kind is SpecValueKind.Number or SpecValueKind.Integer ? $"; range [{Fmt(p.Min)}, {Fmt(p.Max)}]"
                : p.Choices is { } c ? $"; one of {string.Join(", ", c)}" : "";
            Console.WriteLine($"  {p.Name} = {spec.Values[k]} (default {p.Default}{bounds}): {p.Description}");
        }
        if (u.Paper is not null) Console.WriteLine($"  paper:      {u.Paper}{(u.Year is int y ? $" ({y})" : "")}");
        Console.WriteLine($"  PyTorch:    {u.PyTorch ?? "none"}");
        return 0;
    }

    private static int Plot(string names, string output, string range)
    {
        var acts = UserError.AtBoundary("activations plot", () => ActivationCatalog.ParseList(names));
        var parts = range.Split(',');
        if (parts.Length != 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double lo)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double hi)
            || !double.IsFinite(lo) || !double.IsFinite(hi) || !(lo < hi) || hi - lo > 1e6)
            throw new InvalidInputException($"--range: expected LO,HI with finite LO < HI (width ≤ 1e6), e.g. -5,5; got '{range}'.");
        Charts.Activations(output, acts, lo, hi);
        Console.WriteLine($"wrote {output}: f and f′ of {string.Join(", ", acts)} on [{Fmt(lo)}, {Fmt(hi)}]");
        return 0;
    }

    // Prefixes the option's name to a library error so the user sees which option was wrong.
    private static T Wrap<T>(string option, Func<T> f) => UserError.AtBoundary(option, f);

    private static string Properties(ActivationProperties p) =>
        p == ActivationProperties.None ? "" : string.Join(", ", ActivationCatalog.PropertyNames.Where(n => p.HasFlag(Enum.Parse<ActivationProperties>(n, true))));

    internal static string Fmt(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
