using Nonlinear.Tensors;

namespace Nonlinear.Optim;

/// <summary>
/// Adam (torch.optim.Adam, 1.13 single-tensor): g ← g + wd·p (L2 penalty through the gradient), then the
/// moment updates and p ← p − (lr/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + ε); AMSGrad uses max over time of v.
/// Kingma and Ba 2014, https://arxiv.org/abs/1412.6980.
/// </summary>
public sealed class Adam : AdaptiveMomentOptimizer
{
    /// <summary>Creates the optimizer; betas default to (0.9, 0.999).</summary>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : base(parameters, lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad) { }

    private protected override bool DecoupledDecay => false;
}
