using System.Globalization;
using Nonlinear.Data;
using Nonlinear.Kan.Interpret;
using Nonlinear.Symbolic;
using Nonlinear.Tensors;

namespace Nonlinear.Cli.Commands;

/// <summary>The data of one `fit`: train, validation (for choosing among restarts; empty without), and test splits.</summary>
internal sealed record FitData(Tensor XTrain, Tensor YTrain, Tensor? XVal, Tensor? YVal, Tensor XTest, Tensor YTest, IReadOnlyList<string> Names, string Source)
{
    /// <summary>
    /// Loads --formula samples or a --csv column. With <paramref name="validationFraction"/> &gt; 0 that share of the
    /// training rows is held out for validation (the test split is never used to choose anything).
    /// </summary>
    public static FitData Load(string? formula, string? csv, string? target, int nTrain, int nTest, string range, ulong seed, double validationFraction)
    {
        if ((formula is null) == (csv is null)) throw new InvalidInputException("give exactly one of --formula or --csv.");
        Dataset train, test;
        IReadOnlyList<string> names;
        string source;
        if (csv is not null)
        {
            if (target is null) throw new InvalidInputException("--csv needs --target COLUMN.");
            var data = UserError.AtBoundary("--csv", () => CsvReader.Read(csv, new CsvOptions { Task = CsvTask.Regression, LabelName = target, HasHeader = true }));
            if (data.Count < 10) throw new InvalidInputException($"--csv '{csv}': {data.Count} rows; need at least 10.");
            (train, test) = DatasetSplit.TrainValidation(data, 0.2, seed, stratify: false);
            names = KanFormula.DefaultNames(data.FeatureCount);
            source = $"{csv} → {target}";
        }
        else
        {
            if (nTrain < 2 || nTrain > 10_000_000) throw new InvalidInputException($"--train must be in [2, 10000000]; got {nTrain}.");
            if (nTest < 1 || nTest > 10_000_000) throw new InvalidInputException($"--test must be in [1, 10000000]; got {nTest}.");
            var box = range.Split(',');
            if (box.Length != 2 || !double.TryParse(box[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double lo)
                || !double.TryParse(box[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double hi) || !(lo < hi))
                throw new InvalidInputException($"--range must be lo,hi with lo < hi; got '{range}'.");
            Formula f = UserError.AtBoundary("--formula", () => ExprParser.Parse(formula!));
            if (f.Variables.Count == 0) throw new InvalidInputException($"--formula '{formula}' has no variables.");
            var rng = new Rng(seed);
            train = UserError.AtBoundary("--formula", () => FormulaData.Sample(f, nTrain, rng, lo, hi));
            test = UserError.AtBoundary("--formula", () => FormulaData.Sample(f, nTest, rng, lo, hi));
            names = f.Variables;
            source = $"f({string.Join(", ", f.Variables)}) = {formula}";
        }
        if (validationFraction <= 0)
            return new FitData(X(train), Y(train), null, null, X(test), Y(test), names, source);
        if (train.Count < 10) throw new InvalidInputException($"--restarts needs a validation split of the training rows; got only {train.Count} training rows (need ≥ 10).");
        var (fitPart, valPart) = DatasetSplit.TrainValidation(train, validationFraction, seed ^ 0x5eed, stratify: false);
        return new FitData(X(fitPart), Y(fitPart), X(valPart), Y(valPart), X(test), Y(test), names, source);
    }

    private static Tensor X(Dataset d) => Tensor.FromArray(d.Features, d.Count, d.FeatureCount);
    private static Tensor Y(Dataset d) => Tensor.FromArray(d.Targets!, d.Count, 1);
}
