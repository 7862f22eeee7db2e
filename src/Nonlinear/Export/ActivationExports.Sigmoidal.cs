namespace Nonlinear.Export;

// Sigmoid-shaped entries: native Sigmoid, Tanh, Softsign, HardSigmoid, Atan, Erf; the rest from them.
internal static partial class ActivationExports
{
    private static void AddSigmoidal(Dictionary<string, ActivationExport> d)
    {
        d["sigmoid"] = (x, _) => Sigmoid(x);
        d["tanh"] = (x, _) => x.Tanh();
        d["softsign"] = (x, _) => x.Builder.Node("Softsign", [x]);
        // torch's hard sigmoid relu6(x + 3)/6 is ONNX HardSigmoid with alpha = 1/6, beta = 1/2.
        d["hard_sigmoid"] = (x, _) => x.Builder.Node("HardSigmoid", x, ("alpha", 1f / 6), ("beta", 0.5f));
        d["hard_sigmoid_keras"] = (x, p) => x.Builder.Node("HardSigmoid", x, ("alpha", F(p[0])), ("beta", F(p[1])));
        d["hard_tanh"] = (x, p) => Clip(x, p[0], p[1]);
        d["log_sigmoid"] = (x, _) => -Softplus(-x);
        d["bipolar_sigmoid"] = (x, _) => (x * 0.5).Tanh();
        d["scaled_tanh"] = (x, p) => (x * p[1]).Tanh() * p[0];
        d["penalized_tanh"] = (x, p) => { var t = x.Tanh(); return If(x.Gt(0), t, t * p[0]); };
        d["arctan"] = (x, _) => x.Atan();
        d["erf"] = (x, _) => x.Erf();
        d["elliott"] = (x, _) => x / ((x.Abs() + 1.0) * 2.0) + 0.5;
        d["gudermannian"] = (x, _) => (x * 0.5).Tanh().Atan() * 2.0;
        d["cloglog"] = (x, _) => -Expm1(-x.Exp());
        d["loglog"] = (x, _) => (-(-x).Exp()).Exp();
        d["probit"] = (x, _) => Phi(x);
        // μ = √(1/2) and σ = √(1/(4π)) as the float constants the kernel uses.
        d["laplace"] = (x, _) => (((x - 0.70710677f) * (float)(1 / (0.2820948f * Math.Sqrt(2)))).Erf() + 1.0) * 0.5;
        d["hexpo"] = (x, p) => If(x.Ge(0), -Expm1(-x.Relu() / p[1]) * p[0], Expm1(x.Min(0) / p[3]) * p[2]);
        d["soft_root_sign"] = (x, p) => x / (x / p[0] + (-x / p[1]).Exp());
        d["dsilu"] = (x, _) => Sigmoid(x) * (x * Sigmoid(-x) + 1.0);
        d["cauchit"] = (x, _) => Cauchit(x);
        d["apa_fixed"] = (x, p) => Apa(x, p[0], p[1]);
    }

    /// <summary>(λ·e^(−κx) + 1)^(−1/λ).</summary>
    private static OnnxValue Apa(OnnxValue x, double kappa, double lambda) =>
        ((x * -kappa).Exp() * lambda + 1.0).Pow(-1 / lambda);
}
