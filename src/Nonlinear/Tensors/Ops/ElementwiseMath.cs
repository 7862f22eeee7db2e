using Nonlinear.Kernels;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    /// <summary>tanh x elementwise (torch.tanh); backward g·(1 − y²) from the saved output.</summary>
    public static Tensor Tanh(Tensor x) => Unary(new TanhKernel(), x, "tanh", saveInput: false, (_, y) => AddScalar(Neg(Mul(y, y)), 1f));

    /// <summary>erf x elementwise (torch.erf, our own VMath.Erf, ≤ 2 ulp); backward g·(2/√π)·e^(−x²).</summary>
    public static Tensor Erf(Tensor x) => Unary(new ErfKernel(), x, "erf", saveInput: true,
        (x, _) => MulScalar(Exp(Neg(Mul(x, x))), (float)(2 / Math.Sqrt(Math.PI))));
}
