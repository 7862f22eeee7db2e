namespace Nonlinear.Kan;

/// <summary>
/// A fixed closed-form edge function φ(x) = c·f(a·x + b) + d that replaces (or is added to) a learned KAN edge, as
/// pykan's fix_symbolic does; φ′(x) = c·a·f′(a·x + b). The affine constants are fixed (not trained).
/// </summary>
/// <param name="Name">Name of f ("sin", "x^2", …), used in formulas.</param>
/// <param name="F">f in double.</param>
/// <param name="Derivative">f′ in double.</param>
/// <param name="A">Input scale a.</param>
/// <param name="B">Input shift b.</param>
/// <param name="C">Output scale c.</param>
/// <param name="D">Output shift d.</param>
public sealed record SymbolicEdge(string Name, Func<double, double> F, Func<double, double> Derivative,
    double A = 1, double B = 0, double C = 1, double D = 0)
{
    /// <summary>c·f(a·x + b) + d.</summary>
    public double Value(double x) => C * F(A * x + B) + D;
    /// <summary>c·a·f′(a·x + b).</summary>
    public double Slope(double x) => C * A * Derivative(A * x + B);
    /// <summary>"c*name(a*x+b)+d" with the constants.</summary>
    public override string ToString() => $"{C:G6}*{Name}({A:G6}*x+{B:G6})+{D:G6}";
}

/// <summary>Per-edge statistics of one forward pass, recorded when <see cref="KanLayer.RecordEdgeStatistics"/> is set.</summary>
public sealed class KanEdgeStatistics
{
    internal KanEdgeStatistics(int outputs, int inputs, int rows)
    {
        Outputs = outputs; Inputs = inputs; Rows = rows;
        MeanAbs = new float[outputs * inputs];
        InputMin = new float[inputs]; InputMax = new float[inputs];
        InputSamples = new float[rows * inputs];
        OutputMeanAbs = new float[outputs];
    }

    /// <summary>Outputs of the layer.</summary>
    public int Outputs { get; }
    /// <summary>Inputs of the layer.</summary>
    public int Inputs { get; }
    /// <summary>Batch size of the recorded pass.</summary>
    public int Rows { get; }
    /// <summary>mean over the batch of |φ_{o,i}(x_{n,i})| at [o·Inputs + i], masked edges 0 (pykan's edge scale for L1/entropy regularisation and pruning).</summary>
    public float[] MeanAbs { get; }
    /// <summary>Smallest value of each input in the batch (plot range).</summary>
    public float[] InputMin { get; }
    /// <summary>Largest value of each input in the batch.</summary>
    public float[] InputMax { get; }
    /// <summary>The batch's inputs (after the optional LayerNorm) [Rows, Inputs], row-major: samples for symbolic fitting and grid updates.</summary>
    public float[] InputSamples { get; }
    /// <summary>mean over the batch of |y_o| (node scale).</summary>
    public float[] OutputMeanAbs { get; }
}
