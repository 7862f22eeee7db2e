using System.CommandLine;
using System.Globalization;
using Nonlinear.Interpret.Capture;
using Nonlinear.Interpret.Probes;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `nonlinear probe CHECKPOINT`: a linear probe (multinomial logistic regression, L2, L-BFGS) per layer, fitted on the
/// data's training split and scored on its test split, with the raw inputs as a baseline row.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var shared = new InspectTarget.Options();
        var l2 = new Option<double>("--l2") { Description = "L2 penalty λ (mean cross-entropy + λ/2·‖W‖²).", DefaultValueFactory = _ => 1e-3 };
        var iterations = new Option<int>("--iterations") { Description = "L-BFGS iterations per probe.", DefaultValueFactory = _ => 100 };
        var maxTrain = new Option<int?>("--max-train") { Description = "Fit on at most this many training inputs (the first ones; default all)." };
        var cmd = new Command("probe", "Linear-probe accuracy per layer of a checkpoint (fit on the train split, scored on the test split).") { l2, iterations, maxTrain };
        shared.AddTo(cmd);
        cmd.SetAction(pr =>
        {
            var options = new ProbeOptions(L2: pr.GetValue(l2), MaxIterations: pr.GetValue(iterations));
            if (!(options.L2 >= 0) || double.IsInfinity(options.L2)) throw new InvalidInputException($"--l2 must be finite and ≥ 0; got {options.L2}.");
            if (options.MaxIterations < 1 || options.MaxIterations > 100_000) throw new InvalidInputException($"--iterations must be in [1, 100000]; got {options.MaxIterations}.");
            int? cap = pr.GetValue(maxTrain);
            if (cap is < 2) throw new InvalidInputException($"--max-train must be ≥ 2; got {cap}.");
            var target = shared.Load(pr);
            var train = cap is int n && n < target.Train.Count ? target.Train.Subset(Enumerable.Range(0, n).ToArray()) : target.Train;
            var test = target.Test;
            if (train.Labels is null) throw new InvalidInputException("probe needs a classification data set.");
            int batch = pr.GetValue(shared.Batch);
            int total = train.Count + test.Count;
            var (a, b) = ProgressView.RunSteps($"capturing {target.Layers.Count} layer(s)", total, advance => (
                ActivationCapture.Collect(target.Model, train, target.Layers, new CaptureOptions(batch, Progress: (d, _) => advance(d))),
                ActivationCapture.Collect(target.Model, test, target.Layers, new CaptureOptions(batch, Progress: (d, _) => advance(train.Count + d)))));
            Console.WriteLine($"{target.Description}: probes fitted on {train.Count} inputs ({train.Name}), scored on {test.Count} ({test.Name}); L2 {options.L2.ToString("G", CultureInfo.InvariantCulture)}, {options.MaxIterations} L-BFGS iterations");
            Console.WriteLine($"{"layer",-12} {"units",6} {"train acc",10} {"test acc",9}");
            var rows = new List<(string Name, ActivationMatrix Train, ActivationMatrix Test)>
            {
                ("(input)", new ActivationMatrix("(input)", train.Features, train.Count, train.FeatureCount), new ActivationMatrix("(input)", test.Features, test.Count, test.FeatureCount)),
            };
            for (int i = 0; i < target.Layers.Count; i++) rows.Add((target.Layers[i], a.Layers[i], b.Layers[i]));
            foreach (var (name, tr, te) in rows)
            {
                var probe = LinearProbe.Fit(tr.Values, tr.Units, PerRow(train.Labels, tr.RowsPerInput), train.NumClasses, options);
                double trainAcc = probe.Accuracy(tr.Values, PerRow(train.Labels, tr.RowsPerInput));
                double testAcc = probe.Accuracy(te.Values, PerRow(test.Labels!, te.RowsPerInput));
                Console.WriteLine($"{name,-12} {tr.Units,6} {trainAcc,10:P2} {testAcc,9:P2}");
            }
            return 0;
        });
        return cmd;
    }

    private static int[] PerRow(int[] labels, int rowsPerInput) =>
        rowsPerInput == 1 ? labels : labels.SelectMany(l => Enumerable.Repeat(l, rowsPerInput)).ToArray();
}
