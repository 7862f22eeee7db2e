using Nonlinear.Autodiff;
using Nonlinear.Kernels;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    /// <summary>eˣ elementwise (torch.exp); backward g·y. VMath.Exp: within 1 ulp.</summary>
    public static Tensor Exp(Tensor x) => Unary(new ExpKernel(), x, "exp", saveInput: false, (_, y) => y);

    /// <summary>ln x elementwise (torch.log); backward g/x. ln 0 = −∞, ln(x&lt;0) = NaN.</summary>
    public static Tensor Log(Tensor x) => Unary(new LogKernel(), x, "log", saveInput: true, (x, _) => Reciprocal(x));

    /// <summary>√x elementwise (torch.sqrt); backward g/(2y), +∞ at 0 as in PyTorch.</summary>
    public static Tensor Sqrt(Tensor x) => Unary(new SqrtKernel(), x, "sqrt", saveInput: false, (_, y) => Reciprocal(MulScalar(y, 2f)));

    /// <summary>|x| elementwise (torch.abs); backward g·sign(x) with sign(0) = 0, as PyTorch.</summary>
    public static Tensor Abs(Tensor x) => Unary(new AbsKernel(), x, "abs", saveInput: true, (x, _) => SignConstant(x));

    /// <summary>
    /// xᵖ for a constant exponent (torch.pow(x, p)); backward g·p·xᵖ⁻¹ (0 for p = 0). Negative x with a
    /// non-integer p gives NaN.
    /// </summary>
    public static Tensor Pow(Tensor x, float p) =>
        Unary(new PowKernel(p), x, "pow", saveInput: true, (x, _) => p == 0f ? Tensor.Zeros(x.Shape.ToArray()) : MulScalar(Pow(x, p - 1f), p));

    /// <summary>
    /// min(max(x, min), max) (torch.clamp). Backward passes g where min ≤ x ≤ max (boundaries included, as
    /// PyTorch) and 0 elsewhere. Use ±∞ for a one-sided clamp.
    /// </summary>
    /// <exception cref="ArgumentException">min or max is NaN.</exception>
    public static Tensor Clamp(Tensor x, float min, float max)
    {
        if (float.IsNaN(min) || float.IsNaN(max))
            throw new ArgumentException($"Clamp bounds must not be NaN; got min={min}, max={max}.", float.IsNaN(min) ? nameof(min) : nameof(max));
        return Unary(new ClampKernel(min, max), x, "clamp", saveInput: true, (x, _) => InsideConstant(x, min, max));
    }

    // Runs kernel k over x into a new contiguous tensor and records dx = g · k.Derivative(x, y).
    // saveInput: whether the derivative reads x (otherwise it reads y only). derivative: f′ written with recorded ops
    // of (x, y), the rule a createGraph backward differentiates (the fused kernel stays the first-order path).
    private static Tensor Unary<K>(K k, Tensor x, string name, bool saveInput, Func<Tensor, Tensor, Tensor> derivative) where K : struct, IDifferentiableKernel
    {
        var xc = x.IsContiguous ? x : Copy(x.Detach());
        var y = TensorArena.Empty(x.Shape.ToArray());
        UnaryDriver.Forward(k, xc.AsSpanUntracked(), y.AsSpanUntracked());
        var shape = x.Shape.ToArray();
        return Autograd.Record(y, name, [x], g =>
        {
            var gc = g.Contiguous();
            var dx = TensorArena.Empty(shape);
            UnaryDriver.Backward(k, saveInput ? xc.AsSpanUntracked() : default, saveInput ? default : y.AsSpanUntracked(), gc.AsSpanUntracked(), dx.AsSpanUntracked());
            return [dx];
        }, saved: [saveInput ? x : y], differentiable: g => [Mul(g, derivative(x, y))]);
    }
}
