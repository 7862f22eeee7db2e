using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Losses;

public static partial class Loss
{
    /// <summary>
    /// Mean squared error (torch.nn.functional.mse_loss, reduction='mean'): (1/N)·Σ (pᵢ − tᵢ)².
    /// Backward: ±2(pᵢ − tᵢ)·g/N. Shapes must be equal (no broadcasting, unlike PyTorch's warning path).
    /// NaN for empty tensors (0/0).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ; the message names both.</exception>
    public static Tensor Mse(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (!Shapes.Equal(prediction.Shape, target.Shape))
            throw new ArgumentException($"Mse: prediction shape {Shapes.Format(prediction.Shape)} differs from target shape {Shapes.Format(target.Shape)}.", nameof(target));
        var p = prediction.ToArray();
        var t = target.ToArray();
        int n = p.Length;
        var diff = new float[n];
        double total = 0;
        for (int i = 0; i < n; i++) { diff[i] = p[i] - t[i]; total += (double)diff[i] * diff[i]; }
        var y = Ops.Scalar((float)(total / n));
        var shape = prediction.Shape.ToArray();
        return Autograd.Record(y, "mse", [prediction, target], g =>
        {
            float s = 2f * g.Item() / n;
            var gp = new float[n];
            for (int i = 0; i < n; i++) gp[i] = s * diff[i];
            var gpt = new Tensor(gp, shape);
            return [prediction.RequiresGrad ? gpt : null, target.RequiresGrad ? Ops.Neg(gpt) : null];
        }, saved: null, differentiable: g =>
        {
            var gp = Ops.Mul(Ops.MulScalar(Ops.Sub(prediction, target), 2f / n), g);
            return [prediction.RequiresGrad ? gp : null, target.RequiresGrad ? Ops.Neg(gp) : null];
        });
    }
}
