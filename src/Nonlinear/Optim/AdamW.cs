using Nonlinear.Tensors;

namespace Nonlinear.Optim;

/// <summary>
/// AdamW (torch.optim.AdamW, 1.13 single-tensor): decoupled weight decay p ← p·(1 − lr·wd) first, then the Adam
/// update with the raw gradient. Loshchilov and Hutter 2017, https://arxiv.org/abs/1711.05101.
/// </summary>
public sealed class AdamW : AdaptiveMomentOptimizer
{
    /// <summary>Creates the optimizer; betas default to (0.9, 0.999), weight decay to 0.01.</summary>
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false)
        : base(parameters, lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad) { }

    private protected override bool DecoupledDecay => true;
}
