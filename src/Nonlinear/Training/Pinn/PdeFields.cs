using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Training.Pinn;

/// <summary>
/// u at the collocation points and its derivatives with respect to the two coordinates, each a recorded tensor [n]
/// (createGraph), computed on first use: a residual that needs only u_x and u_yy pays for those two.
/// </summary>
public sealed class PdeFields
{
    private readonly Tensor _points;
    private Tensor? _grad, _aa, _bb;

    /// <summary>Wraps u [n, 1] computed from <paramref name="points"/> [n, 2] (which must require gradients).</summary>
    public PdeFields(Tensor points, Tensor u)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(u);
        _points = points;
        U = Ops.Reshape(u, -1);
        Points = points;
    }

    /// <summary>The collocation points [n, 2].</summary>
    public Tensor Points { get; }
    /// <summary>u [n].</summary>
    public Tensor U { get; }
    /// <summary>∂u/∂(first coordinate) [n].</summary>
    public Tensor Da => Ops.Select(Gradient(), 1, 0);
    /// <summary>∂u/∂(second coordinate) [n].</summary>
    public Tensor Db => Ops.Select(Gradient(), 1, 1);
    /// <summary>∂²u/∂(first)² [n].</summary>
    public Tensor Daa => _aa ??= Second(Da, 0);
    /// <summary>∂²u/∂(second)² [n].</summary>
    public Tensor Dbb => _bb ??= Second(Db, 1);

    private Tensor Gradient() =>
        _grad ??= Autograd.Grad([U], [_points], [Tensor.Full(1f, U.Length)], createGraph: true, allowUnused: true)[0];

    // Each row of the points affects only its own u, so the gradient of Σ ∂u/∂c is the row-wise second derivative.
    private Tensor Second(Tensor first, int c) =>
        Ops.Select(Autograd.Grad([first], [_points], [Tensor.Full(1f, first.Length)], createGraph: true, allowUnused: true)[0], 1, c);
}
