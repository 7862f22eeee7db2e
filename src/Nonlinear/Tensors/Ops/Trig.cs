using Nonlinear.Kernels;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    /// <summary>sin x elementwise (torch.sin; our VMath.Sin, ≤ 1 ulp for |x| ≤ 1e6); backward g·cos x.</summary>
    public static Tensor Sin(Tensor x) => Unary(new SinKernel(), x, "sin", saveInput: true, (x, _) => Cos(x));

    /// <summary>cos x elementwise (torch.cos; our VMath.Cos, ≤ 1 ulp for |x| ≤ 1e6); backward −g·sin x.</summary>
    public static Tensor Cos(Tensor x) => Unary(new CosKernel(), x, "cos", saveInput: true, (x, _) => Neg(Sin(x)));

    /// <summary>atan x elementwise (torch.atan; our VMath.Atan, ≤ 2 ulp); backward g/(1 + x²).</summary>
    public static Tensor Atan(Tensor x) => Unary(new AtanKernel(), x, "atan", saveInput: true, (x, _) => Reciprocal(AddScalar(Mul(x, x), 1f)));
}
