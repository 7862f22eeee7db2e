using Nonlinear.Autodiff;
using Nonlinear.Kernels;

namespace Nonlinear.Tensors;

/// <summary>Elementwise math primitives (exp, log, tanh, erf, abs, clamp), each with its backward rule.</summary>
public static partial class Ops
{
    /// <summary>eˣ elementwise (torch.exp); d/dx = y.</summary>
    public static Tensor Exp(Tensor a)
    {
        var y = Map(new ExpKernel(), a);
        return Autograd.Record(y, "exp", [a], g => [Mul(g, y)]);
    }

    /// <summary>ln x elementwise (torch.log); d/dx = 1/x.</summary>
    public static Tensor Log(Tensor a)
    {
        var y = Map(new LogKernel(), a);
        return Autograd.Record(y, "log", [a], g => [Div(g, a)]);
    }

    /// <summary>tanh x elementwise (torch.tanh); d/dx = 1 − y².</summary>
    public static Tensor Tanh(Tensor a)
    {
        var y = Map(new TanhKernel(), a);
        return Autograd.Record(y, "tanh", [a], g => [Mul(g, Map(new TanhGradKernel(), y))]);
    }

    /// <summary>erf x elementwise (torch.erf); d/dx = (2/√π)·e^(−x²).</summary>
    public static Tensor Erf(Tensor a)
    {
        var y = Map(new ErfKernel(), a);
        return Autograd.Record(y, "erf", [a], g => [Mul(g, Map(new ErfGradKernel(), a))]);
    }

    /// <summary>|x| elementwise (torch.abs); d/dx = sign(x), 0 at 0 (as PyTorch).</summary>
    public static Tensor Abs(Tensor a)
    {
        var y = Map(new AbsKernel(), a);
        return Autograd.Record(y, "abs", [a], g => [Mul(g, Map(new SignKernel(), a))]);
    }

    /// <summary>min(max(x, min), max) elementwise (torch.clamp); d/dx = 1 for min ≤ x ≤ max (inclusive, as PyTorch), else 0.</summary>
    /// <exception cref="ArgumentException">min &gt; max or either is NaN.</exception>
    public static Tensor Clamp(Tensor a, float min, float max)
    {
        if (!(min <= max))
            throw new ArgumentException($"clamp: expected min ≤ max; got min = {min}, max = {max}.", nameof(min));
        var y = Map(new ClampKernel(min, max), a);
        return Autograd.Record(y, "clamp", [a], g => [Mul(g, Map(new InRangeKernel(min, max), a))]);
    }

    /// <summary>Applies a unary kernel into a new contiguous tensor. No gradient is recorded.</summary>
    internal static Tensor Map<K>(K kernel, Tensor a) where K : struct, IUnaryKernel
    {
        var ac = a.IsContiguous ? a : Copy(a.Detach());
        var y = new Tensor(GC.AllocateUninitializedArray<float>(ac.Length), ac.Shape.ToArray());
        UnaryDriver.Forward(kernel, ac.AsSpan(), y.AsSpan());
        return y;
    }

    private readonly struct ExpKernel : IUnaryKernel { public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Exp(x); }
    private readonly struct LogKernel : IUnaryKernel { public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Log(x); }
    private readonly struct TanhKernel : IUnaryKernel { public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Tanh(x); }
    private readonly struct TanhGradKernel : IUnaryKernel { public V Forward<V>(V y) where V : struct, ISimdVec<V> => V.Fma(-y, y, V.Create(1f)); }
    private readonly struct ErfKernel : IUnaryKernel { public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Erf(x); }
    private readonly struct ErfGradKernel : IUnaryKernel
    {
        public V Forward<V>(V x) where V : struct, ISimdVec<V> => V.Create(1.12837916709551257f) * VMath.Exp(-(x * x));
    }
    private readonly struct AbsKernel : IUnaryKernel { public V Forward<V>(V x) where V : struct, ISimdVec<V> => V.Abs(x); }
    private readonly struct SignKernel : IUnaryKernel
    {
        public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
            (V.GreaterThan(x, V.Create(0f)) & V.Create(1f)) | (V.LessThan(x, V.Create(0f)) & V.Create(-1f));
    }
    private readonly struct ClampKernel(float min, float max) : IUnaryKernel
    {
        public V Forward<V>(V x) where V : struct, ISimdVec<V> => V.Min(V.Max(x, V.Create(min)), V.Create(max));
    }
    private readonly struct InRangeKernel(float min, float max) : IUnaryKernel
    {
        public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
            V.GreaterThanOrEqual(x, V.Create(min)) & V.LessThanOrEqual(x, V.Create(max)) & V.Create(1f);
    }
}
