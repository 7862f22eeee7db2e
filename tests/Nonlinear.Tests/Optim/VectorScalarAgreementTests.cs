using Nonlinear.Optim;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Optim;

/// <summary>
/// The update kernels run whole SIMD vectors and finish with the one-lane <c>Scalar</c> path through the same formula.
/// Updating a 67-element tensor (vector body + tail at every width) must equal updating 67 one-element tensors
/// (pure scalar path) bit for bit.
/// </summary>
public class VectorScalarAgreementTests
{
    public static TheoryData<string> Kinds() => new() { "sgd", "sgd_nesterov_wd", "adam_wd_amsgrad", "adamw" };

    private static Optimizer Make(string kind, IEnumerable<Tensor> ps) => kind switch
    {
        "sgd" => new Sgd(ps, 0.1, momentum: 0.9, dampening: 0.2),
        "sgd_nesterov_wd" => new Sgd(ps, 0.1, momentum: 0.9, weightDecay: 0.05, nesterov: true),
        "adam_wd_amsgrad" => new Adam(ps, 0.01, weightDecay: 0.1, amsgrad: true),
        _ => new AdamW(ps, 0.01, weightDecay: 0.1),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void WholeTensorUpdateEqualsElementwiseUpdate(string kind)
    {
        const int n = 67;
        var rng = new Rng(21);
        var init = Tensor.Randn(rng, [n]).ToArray();
        var whole = Tensor.FromArray((float[])init.Clone(), n).RequireGrad();
        var singles = init.Select(v => Tensor.FromArray([v], 1).RequireGrad()).ToArray();
        var a = Make(kind, [whole]);
        var b = Make(kind, singles);
        for (int step = 0; step < 5; step++)
        {
            var g = Tensor.Randn(rng, [n]).ToArray();
            whole.Grad = Tensor.FromArray(g, n);
            for (int i = 0; i < n; i++) singles[i].Grad = Tensor.FromArray([g[i]], 1);
            a.Step();
            b.Step();
        }
        Assert.Equal(singles.Select(s => s.ToArray()[0]).ToArray(), whole.ToArray());
    }
}
