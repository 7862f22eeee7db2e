namespace Nonlinear.Tensors;

// torch.Tensor's method style over Ops: each is one call into the op, which records the gradient.
public sealed partial class Tensor
{
    /// <summary>Matrix product with <paramref name="other"/> (<see cref="Ops.MatMul"/>; torch's x @ w).</summary>
    public Tensor MatMul(Tensor other) => Ops.MatMul(this, other);

    /// <summary>The same elements in a new shape; one size may be −1 (<see cref="Ops.Reshape"/>).</summary>
    public Tensor Reshape(params int[] shape) => Ops.Reshape(this, shape);

    /// <summary>Dimensions startDim … last merged into one (<see cref="Ops.Flatten"/>).</summary>
    public Tensor Flatten(int startDim = 0) => Ops.Flatten(this, startDim);

    /// <summary>A size-1 dimension inserted at <paramref name="dim"/> (<see cref="Ops.Unsqueeze"/>).</summary>
    public Tensor Unsqueeze(int dim) => Ops.Unsqueeze(this, dim);

    /// <summary>Size-1 dimension <paramref name="dim"/> removed (<see cref="Ops.Squeeze"/>).</summary>
    public Tensor Squeeze(int dim) => Ops.Squeeze(this, dim);

    /// <summary>Two dimensions swapped, a view (<see cref="Ops.Transpose"/>).</summary>
    public Tensor Transpose(int dim0, int dim1) => Ops.Transpose(this, dim0, dim1);

    /// <summary>The transpose of a matrix (torch's x.T for 2-D), a view.</summary>
    /// <exception cref="InvalidOperationException">The tensor is not 2-D (torch deprecates .T for other ranks).</exception>
    public Tensor T => Rank == 2 ? Ops.Transpose(this, 0, 1)
        : throw new InvalidOperationException($"T needs a 2-D tensor; this one has shape {Shapes.Format(_shape)}. Use Permute for other ranks.");

    /// <summary>The dimensions reordered, a view (<see cref="Ops.Permute"/>).</summary>
    public Tensor Permute(params int[] dims) => Ops.Permute(this, dims);

    /// <summary>A contiguous copy that records its gradient (torch's clone()); writes to it leave this tensor unchanged.</summary>
    public Tensor Clone() => Ops.Copy(this);

    /// <summary>eˣ (<see cref="Ops.Exp"/>).</summary>
    public Tensor Exp() => Ops.Exp(this);
    /// <summary>ln x (<see cref="Ops.Log"/>).</summary>
    public Tensor Log() => Ops.Log(this);
    /// <summary>√x (<see cref="Ops.Sqrt"/>).</summary>
    public Tensor Sqrt() => Ops.Sqrt(this);
    /// <summary>|x| (<see cref="Ops.Abs"/>).</summary>
    public Tensor Abs() => Ops.Abs(this);
    /// <summary>xᵖ (<see cref="Ops.Pow"/>).</summary>
    public Tensor Pow(float p) => Ops.Pow(this, p);
    /// <summary>min(max(x, min), max) (<see cref="Ops.Clamp"/>).</summary>
    public Tensor Clamp(float min, float max) => Ops.Clamp(this, min, max);
    /// <summary>tanh x (<see cref="Ops.Tanh"/>).</summary>
    public Tensor Tanh() => Ops.Tanh(this);
    /// <summary>erf x (<see cref="Ops.Erf"/>).</summary>
    public Tensor Erf() => Ops.Erf(this);
    /// <summary>sin x (<see cref="Ops.Sin"/>).</summary>
    public Tensor Sin() => Ops.Sin(this);
    /// <summary>cos x (<see cref="Ops.Cos"/>).</summary>
    public Tensor Cos() => Ops.Cos(this);

    /// <summary>
    /// softmax along <paramref name="dim"/> (torch.softmax(x, dim)): <see cref="Ops.Softmax"/> on the last axis,
    /// other axes moved there and back by transposed views.
    /// </summary>
    public Tensor Softmax(int dim = -1) => AlongLastAxis(dim, Ops.Softmax);

    /// <summary>log-softmax along <paramref name="dim"/> (torch.log_softmax(x, dim)); see <see cref="Softmax"/>.</summary>
    public Tensor LogSoftmax(int dim = -1) => AlongLastAxis(dim, Ops.LogSoftmax);

    private Tensor AlongLastAxis(int dim, Func<Tensor, Tensor> op)
    {
        int d = Shapes.Axis(dim, Rank), last = Rank - 1;
        return d == last ? op(this) : Ops.Transpose(op(Ops.Transpose(this, d, last)), d, last);
    }

    /// <summary>Maximum along <paramref name="dim"/> (the values of torch.max(x, dim); <see cref="Ops.Max(Tensor, int, bool)"/>).</summary>
    public Tensor Max(int dim, bool keepDim = false) => Ops.Max(this, dim, keepDim);

    /// <summary>Maximum of all elements (<see cref="Ops.Max(Tensor)"/>).</summary>
    public Tensor Max() => Ops.Max(this);

    /// <summary>Index of the maximum along <paramref name="dim"/> as exact integers in a float tensor (<see cref="Ops.ArgMax"/>).</summary>
    public Tensor ArgMax(int dim, bool keepDim = false) => Ops.ArgMax(this, dim, keepDim);

    /// <summary>Elements where <paramref name="condition"/> ≠ 0 from <paramref name="a"/>, else from <paramref name="b"/> (<see cref="Ops.Where"/>).</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b) => Ops.Where(condition, a, b);

    /// <summary>Tensors joined along a new dimension (<see cref="Ops.Stack"/>).</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0) => Ops.Stack(tensors, dim);
}
