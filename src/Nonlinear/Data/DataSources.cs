namespace Nonlinear.Data;

/// <summary>
/// Named data sets for the CLI and examples. <see cref="Load(string, string?)"/> accepts <c>digits</c> (bundled UCI digits,
/// a fixed stratified 80/20 split with seed <see cref="DigitsSplitSeed"/>), <c>fashion-mnist</c> (the official
/// 60000/10000 split, images scaled to [0, 1]) or a path to a CSV file (same 80/20 split rule as digits, or
/// the user's own test file). A test set is checked against its training set when loaded: same feature count,
/// labels within the training classes, at least one row.
/// </summary>
public static class DataSources
{
    /// <summary>Seed of the digits (and CSV) train/test split: fixed so every run and every user sees the same split.</summary>
    public const ulong DigitsSplitSeed = 20241123;
    /// <summary>Fraction of the rows held out as the test set for digits and single CSV files.</summary>
    public const double TestFraction = 0.2;
    /// <summary>Where Debian's dataset-fashion-mnist package puts the files.</summary>
    public const string FashionMnistSystemDir = "/usr/share/datasets/fashion-mnist";

    /// <summary>The four Fashion-MNIST files (gzip; the uncompressed names without ".gz" are accepted too).</summary>
    public static readonly IReadOnlyList<string> FashionMnistFiles =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    /// <summary>Loads the data set named by <paramref name="spec"/>; Fashion-MNIST is read from <paramref name="dataDir"/> when given, else from the Debian package's folder.</summary>
    /// <exception cref="FileNotFoundException">The data files are missing; the message says how to get them.</exception>
    /// <exception cref="ArgumentException"><paramref name="spec"/> is neither a known name nor an existing file.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or the test split is empty.</exception>
    public static (Dataset Train, Dataset Test) Load(string spec, string? dataDir = null) => Load(spec, dataDir, null, null);

    /// <summary>
    /// Loads <paramref name="spec"/> as <see cref="Load(string, string?)"/>, or, when <paramref name="testPath"/> is
    /// given, all of the CSV data <paramref name="spec"/> as the training set and the CSV file
    /// <paramref name="testPath"/> as the test set (the user's own split; no rows are held out). Warnings (a
    /// single-class data set) go to <paramref name="warn"/>, once per call.
    /// </summary>
    /// <exception cref="InvalidInputException"><paramref name="testPath"/> is given with Fashion-MNIST, which has its own test files.</exception>
    /// <exception cref="InvalidDataException">The test file's features or labels do not match the training data.</exception>
    public static (Dataset Train, Dataset Test) Load(string spec, string? dataDir, string? testPath, Action<string>? warn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        string? csv = null, name = null;
        switch (spec.Trim().ToLowerInvariant())
        {
            case "digits":
                (csv, name) = (FindDigits(), "digits");
                break;
            case "fashion-mnist" or "fashion_mnist" or "fashionmnist":
                if (testPath is not null)
                    throw new InvalidInputException($"--test '{testPath}' was given with --data {spec}, which has its own test files; expected --data PATH.csv.", nameof(testPath));
                return LoadFashionMnist(dataDir);
        }
        if (csv is null)
        {
            if (!File.Exists(spec) && !Directory.Exists(spec))
                throw new InvalidInputException($"data '{spec}': expected digits, fashion-mnist or the path of an existing CSV file; no such file.", nameof(spec));
            (csv, name) = (spec, Path.GetFileName(spec));
        }
        var all = CsvReader.Read(csv);
        WarnIfOneClass(all, csv, warn);
        if (testPath is null) return SplitCsv(all, csv, name!);
        var test = MatchTest(all, CsvReader.Read(testPath), testPath, csv);
        return (Rename(all, name + "/train"), Rename(test, Path.GetFileName(testPath) + "/test"));
    }

    private static (Dataset, Dataset) SplitCsv(Dataset all, string path, string name)
    {
        var (train, test) = DatasetSplit.TrainValidation(all, TestFraction, DigitsSplitSeed, stratify: !all.IsRegression);
        // Stratified rounding gives a class of 2 rows no test row; with few rows the whole split can be empty,
        // and an accuracy over no rows is not 0 %.
        if (test.Count == 0)
            throw new InvalidDataException($"{path}: {all.Count} rows leave the {TestFraction:P0} test split empty; expected enough rows for at least one test row, or --test FILE.");
        return (Rename(train, name + "/train"), Rename(test, name + "/test"));
    }

    private static void WarnIfOneClass(Dataset all, string path, Action<string>? warn)
    {
        if (all.Labels is not { } labels || warn is null) return;
        if (labels.All(l => l == labels[0]))
            warn($"{path}: every row has label {labels[0]}; a one-class data set makes any classifier 100 % accurate.");
    }

    /// <summary>
    /// <paramref name="test"/> with the training set's class count, after checking it has rows, the same
    /// number of features and no label outside the training classes.
    /// </summary>
    internal static Dataset MatchTest(Dataset train, Dataset test, string testPath, string trainPath)
    {
        if (test.Count == 0)
            throw new InvalidDataException($"{testPath}: the test set has no rows; expected at least one.");
        if (test.FeatureCount != train.FeatureCount)
            throw new InvalidDataException($"{testPath}: {test.FeatureCount} features per row, but the training data {trainPath} has {train.FeatureCount}.");
        if (test.IsRegression != train.IsRegression)
            throw new InvalidDataException($"{testPath}: {(test.IsRegression ? "regression targets" : "class labels")}, but the training data {trainPath} has {(train.IsRegression ? "regression targets" : "class labels")}.");
        if (test.Labels is not { } labels) return test;
        int bad = Array.FindIndex(labels, l => l >= train.NumClasses);
        if (bad >= 0)
            throw new InvalidDataException($"{testPath}: label {labels[bad]} (row {bad + 1}) is outside the {train.NumClasses} classes [0, {train.NumClasses}) of the training data {trainPath}.");
        return Dataset.Classification(test.Features, labels, test.FeatureCount, train.NumClasses, test.Name);
    }

    private static Dataset Rename(Dataset d, string name) =>
        d.Labels is { } l ? Dataset.Classification(d.Features, l, d.FeatureCount, d.NumClasses, name)
                          : Dataset.Regression(d.Features, d.Targets!, d.FeatureCount, name);

    /// <summary>
    /// The bundled digits file: next to the executing assembly (the CLI copies <c>data/</c> there), else in a
    /// <c>data/</c> folder of the current directory or one of its parents (a source checkout).
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither place has it.</exception>
    public static string FindDigits() => FindDigits(AppContext.BaseDirectory, Directory.GetCurrentDirectory());

    internal static string FindDigits(string baseDir, string currentDir)
    {
        const string Relative = "data/digits.csv.gz";
        string beside = Path.Combine(baseDir, Relative);
        if (File.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(currentDir); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, Relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"The bundled digits data set was not found: looked for {beside} and for {Relative} in {currentDir} " +
            "and its parents. It ships in the repository as data/digits.csv.gz and is copied next to the nonlinear executable.", Relative);
    }

    // systemDir is a parameter so tests can exercise the not-installed message on a machine that has the package.
    internal static (Dataset Train, Dataset Test) LoadFashionMnist(string? dataDir, string systemDir = FashionMnistSystemDir)
    {
        // An explicit folder is the only place looked in: silently training on other files would mislead.
        var dirs = new List<string> { string.IsNullOrEmpty(dataDir) ? systemDir : dataDir };
        string[]? paths = null;
        foreach (var dir in dirs)
        {
            var found = FashionMnistFiles.Select(f => Existing(dir, f)).ToArray();
            if (found.All(p => p is not null)) { paths = found!; break; }
        }
        if (paths is null)
            throw new FileNotFoundException(
                $"Fashion-MNIST not found in {string.Join(" or ", dirs)}: install with `apt-get install dataset-fashion-mnist` " +
                $"or pass --data-dir DIR containing the four files {string.Join(", ", FashionMnistFiles)}.");
        var train = Idx(paths[0], paths[1], "fashion-mnist/train");
        // Checked now, naming the files, rather than as an index error after the first training epoch.
        var test = MatchTest(train, Idx(paths[2], paths[3], "fashion-mnist/test"), $"{paths[2]} / {paths[3]}", $"{paths[0]} / {paths[1]}");
        return (train, test);
    }

    private static string? Existing(string dir, string file)
    {
        string gz = Path.Combine(dir, file), plain = gz[..^3];
        return File.Exists(gz) ? gz : File.Exists(plain) ? plain : null;
    }

    /// <summary>An IDX image file and its label file as a classification set with rows × cols features.</summary>
    /// <exception cref="InvalidDataException">The files are malformed or their counts differ.</exception>
    public static Dataset Idx(string imagesPath, string labelsPath, string name)
    {
        var (pixels, count, rows, cols) = IdxReader.ReadImages(imagesPath);
        int[] labels = IdxReader.ReadLabels(labelsPath);
        if (labels.Length != count)
            throw new InvalidDataException($"{labelsPath}: expected {count} labels to match {imagesPath}, found {labels.Length}.");
        return Dataset.Classification(pixels, labels, rows * cols, name: name);
    }
}
