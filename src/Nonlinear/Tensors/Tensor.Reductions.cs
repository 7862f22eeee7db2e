namespace Nonlinear.Tensors;

public sealed partial class Tensor
{
    /// <summary>Σ of all elements as a rank-0 tensor (<see cref="Ops.Sum(Tensor)"/>).</summary>
    public Tensor Sum() => Ops.Sum(this);

    /// <summary>Σ along <paramref name="dim"/> (<see cref="Ops.Sum(Tensor, int, bool)"/>).</summary>
    public Tensor Sum(int dim, bool keepDim = false) => Ops.Sum(this, dim, keepDim);

    /// <summary>Mean of all elements as a rank-0 tensor (<see cref="Ops.Mean(Tensor)"/>).</summary>
    public Tensor Mean() => Ops.Mean(this);

    /// <summary>Mean along <paramref name="dim"/> (<see cref="Ops.Mean(Tensor, int, bool)"/>).</summary>
    public Tensor Mean(int dim, bool keepDim = false) => Ops.Mean(this, dim, keepDim);
}
