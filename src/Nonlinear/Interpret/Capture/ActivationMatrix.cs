namespace Nonlinear.Interpret.Capture;

/// <summary>
/// The captured activations of one module: <see cref="Rows"/> × <see cref="Units"/> float32, row-major. With
/// <see cref="SpatialLayout.ChannelsAsUnits"/> each input contributes <see cref="RowsPerInput"/> consecutive rows.
/// </summary>
public sealed class ActivationMatrix
{
    /// <summary>Wraps <paramref name="values"/> (not copied).</summary>
    /// <exception cref="ArgumentException">The length is not rows × units, or rowsPerInput does not divide rows.</exception>
    public ActivationMatrix(string name, float[] values, int rows, int units, int rowsPerInput = 1)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        if (rows < 0 || units < 0 || (long)rows * units != values.Length)
            throw new ArgumentException($"{name}: {values.Length} values; expected rows {rows} × units {units} = {(long)rows * units}.", nameof(values));
        if (rowsPerInput < 1 || rows % rowsPerInput != 0)
            throw new ArgumentException($"{name}: rowsPerInput = {rowsPerInput}; expected ≥ 1 and a divisor of rows {rows}.", nameof(rowsPerInput));
        Name = name;
        Values = values;
        Rows = rows;
        Units = units;
        RowsPerInput = rowsPerInput;
    }

    /// <summary>The dotted module name it was captured at.</summary>
    public string Name { get; }
    /// <summary>Row-major rows × units.</summary>
    public float[] Values { get; }
    /// <summary>Number of rows (inputs, or inputs × positions).</summary>
    public int Rows { get; }
    /// <summary>Number of units per row.</summary>
    public int Units { get; }
    /// <summary>Rows per input: 1, or H·W for <see cref="SpatialLayout.ChannelsAsUnits"/>.</summary>
    public int RowsPerInput { get; }

    /// <summary>Row <paramref name="r"/>.</summary>
    public ReadOnlySpan<float> Row(int r) => Values.AsSpan(checked(r * Units), Units);

    /// <summary>The index of the input row <paramref name="r"/> came from.</summary>
    public int InputOf(long r) => (int)(r / RowsPerInput);

    /// <summary>Unit <paramref name="u"/>'s values over all rows, as a new array.</summary>
    public float[] Column(int u)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(u);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(u, Units);
        var c = new float[Rows];
        for (int r = 0; r < Rows; r++) c[r] = Values[(long)r * Units + u];
        return c;
    }

    /// <summary>"0: 1797 × 64".</summary>
    public override string ToString() => $"{Name}: {Rows} × {Units}";
}
