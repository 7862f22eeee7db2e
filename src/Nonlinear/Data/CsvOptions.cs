namespace Nonlinear.Data;

/// <summary>What the target column of a CSV file holds.</summary>
public enum CsvTask
{
    /// <summary>Integer class labels ≥ 0.</summary>
    Classification,
    /// <summary>Float targets.</summary>
    Regression,
}

/// <summary>
/// How to read a numeric CSV file. The target column is <see cref="LabelName"/> when given (needs a header
/// row), else <see cref="LabelColumn"/> (negative counts from the end; default −1, the last column).
/// <see cref="HasHeader"/> null means auto-detect: a first row with a non-numeric field is a header, and a
/// first row with fewer fields than the second, or one that starts with the row and feature counts
/// (scikit-learn's <c>150,4,setosa,versicolor,virginica</c>), is skipped.
/// </summary>
public sealed record CsvOptions
{
    /// <summary>Index of the target column; negative counts from the end.</summary>
    public int LabelColumn { get; init; } = -1;
    /// <summary>Header name of the target column; overrides <see cref="LabelColumn"/>.</summary>
    public string? LabelName { get; init; }
    /// <summary>True/false to force, null to auto-detect.</summary>
    public bool? HasHeader { get; init; }
    /// <summary>Classification (integer labels) or regression (float targets).</summary>
    public CsvTask Task { get; init; } = CsvTask.Classification;
    /// <summary>
    /// Number of classes: labels must lie in [0, Classes). Null means 1 + the largest label, which must stay below
    /// <see cref="CsvReader.MaxClasses"/>.
    /// </summary>
    public int? Classes { get; init; }
    /// <summary>Field separator.</summary>
    public char Separator { get; init; } = ',';
}
