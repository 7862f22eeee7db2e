using Nonlinear.Tensors;

namespace Nonlinear.Tests.Activations;

/// <summary>
/// The specification of each smooth catalog entry as a composition of primitive Ops (merged into
/// <see cref="ActivationCompositionTests.Compositions"/>), for inputs in [−6, 6].
/// </summary>
public static class SmoothCompositions
{
    private const float Pi = MathF.PI;
    private static Tensor Relu(Tensor x) => Ops.Clamp(x, 0, float.PositiveInfinity);
    // min(x, 0) as x − relu(x): clamp's inclusive gradient would otherwise count x = 0 in both parts.
    private static Tensor NegPart(Tensor x) => x - Relu(x);
    private static Tensor Sigmoid(Tensor x) => Ops.Div(Tensor.Ones(1), Ops.AddScalar(Ops.Exp(-x), 1));
    private static Tensor Softplus(Tensor x) => Ops.Log(Ops.AddScalar(Ops.Exp(x), 1));
    private static Tensor Phi(Tensor x) => Ops.AddScalar(Ops.Erf(x * 0.70710678f), 1f) * 0.5f;
    // A constant 0/1 mask (no gradient): the "where" of a piecewise definition.
    private static Tensor Mask(Tensor x, Func<float, bool> p) =>
        Tensor.FromArray(x.ToArray().Select(v => p(v) ? 1f : 0f).ToArray(), x.Shape.ToArray());
    // atan-gate of ATLU: 1/2 + atan(x)/π.
    private static Tensor AtanGate(Tensor x) => Ops.AddScalar(Ops.Atan(x) * (1f / Pi), 0.5f);

    // sin(t)/t: its Taylor series where |t| < 0.5 (autodiff of sin(t)/t cancels there), the quotient elsewhere.
    private static Tensor SincT(Tensor t)
    {
        var m = Mask(t, v => MathF.Abs(v) < 0.5f);
        var t2 = t * t;
        var p = Ops.AddScalar(Ops.AddScalar(Ops.AddScalar(Ops.AddScalar(t2 * (1f / 362880f), -1f / 5040f) * t2, 1f / 120f) * t2, -1f / 6f) * t2, 1f);
        return p * m + Ops.AddScalar(-m, 1f) * Ops.Sin(t) / (t + m);
    }

    /// <summary>Name → composition.</summary>
    public static readonly Dictionary<string, Func<Tensor, Tensor>> All = new()
    {
        ["bipolar_sigmoid"] = x => Ops.Tanh(x * 0.5f),
        ["scaled_tanh"] = x => Ops.Tanh(x * 0.6666667f) * 1.7159f,
        ["penalized_tanh"] = x => { var t = Ops.Tanh(x); return Relu(t) + NegPart(t) * 0.25f; },
        ["arctan"] = x => Ops.Atan(x),
        ["erf"] = x => Ops.Erf(x),
        ["elliott"] = x => Ops.AddScalar(x / Ops.AddScalar(Ops.Abs(x), 1f) * 0.5f, 0.5f),
        ["gudermannian"] = x => Ops.Atan(Ops.Tanh(x * 0.5f)) * 2f,
        ["cloglog"] = x => Ops.AddScalar(-Ops.Exp(-Ops.Exp(x)), 1f),
        ["loglog"] = x => Ops.Exp(-Ops.Exp(-x)),
        ["probit"] = x => Phi(x),
        ["laplace"] = x => Ops.AddScalar(Ops.Erf(Ops.AddScalar(x, -0.70710677f) * (1f / (0.2820948f * 1.4142135f))), 1f) * 0.5f,
        ["hexpo"] = x => -Ops.AddScalar(Ops.Exp(-Relu(x)), -1f) + Ops.AddScalar(Ops.Exp(NegPart(x)), -1f),
        ["soft_root_sign"] = x => x / (x * 0.5f + Ops.Exp(x * (-1f / 3f))),
        ["dsilu"] = x => { var s = Sigmoid(x); return s * Ops.AddScalar(x * Ops.AddScalar(-s, 1f), 1f); },
        ["cauchit"] = x => AtanGate(x),
        ["apa_fixed"] = x => Ops.Pow(Ops.AddScalar(Ops.Exp(-x), 1f), -1f),
        ["sech"] = x => Ops.Div(Tensor.Ones(1), Ops.Exp(x) + Ops.Exp(-x)) * 2f,
        ["gaussian"] = x => Ops.Exp(x * x * -0.5f),
        ["mexican_hat"] = x => Ops.AddScalar(-(x * x), 1f) * Ops.Exp(x * x * -0.5f),
        ["morlet"] = x => (Ops.Cos(x * 4f) * Ops.Cos(x) - Ops.Sin(x * 4f) * Ops.Sin(x)) * Ops.Exp(x * x * -0.5f),
        ["laplacian"] = x => Ops.Exp(-Ops.Abs(x)),
        ["cauchy"] = x => Ops.AddScalar(x, 1f) / Ops.AddScalar(x * x, 1f),
        ["golu"] = x => x * Ops.Exp(-Ops.Exp(-x)),
        ["quick_gelu"] = x => x * Sigmoid(x * 1.702f),
        ["e_swish"] = x => x * Sigmoid(x) * 1.375f,
        ["flatten_t_swish"] = x => Ops.AddScalar(Relu(x) * Sigmoid(x), -0.2f),
        ["gcu"] = x => x * Ops.Cos(x),
        ["elish"] = x => Relu(x) * Sigmoid(x) + Ops.AddScalar(Ops.Exp(NegPart(x)), -1f) * Sigmoid(x),
        ["lisht"] = x => x * Ops.Tanh(x),
        ["tanh_exp"] = x => x * Ops.Tanh(Ops.Exp(x)),
        ["serf"] = x => x * Ops.Erf(Softplus(x)),
        ["logish"] = x => x * Ops.Log(Ops.AddScalar(Sigmoid(x), 1f)),
        ["smish"] = x => x * Ops.Tanh(Ops.Log(Ops.AddScalar(Sigmoid(x), 1f))),
        ["phish"] = x => x * Ops.Tanh(x * Phi(x)),
        ["smu"] = x => (x * 1.01f + x * Ops.Erf(x * (2.5f * 0.99f)) * 0.99f) * 0.5f,
        ["mila"] = x => x * Ops.Tanh(Softplus(Ops.AddScalar(x, -0.25f))),
        ["sinlu"] = x => (x + Ops.Sin(x)) * Sigmoid(x),
        ["acon_c"] = x => x * Sigmoid(x),
        ["atlu"] = x => x * AtanGate(x),
        ["xatlu"] = x => x * AtanGate(x),
        ["xgelu"] = x => x * Phi(x),
        ["xsilu"] = x => x * Sigmoid(x),
        ["aglu"] = x => x * Sigmoid(x),
        ["erfact"] = x => x * Ops.Erf(Ops.Exp(x * 0.75f) * 0.75f),
        ["pserf"] = x => x * Ops.Erf(Softplus(x)),
        ["loglogish"] = x => x * Ops.AddScalar(-Ops.Exp(-Ops.Exp(x)), 1f),
        ["pelu"] = x => Relu(x) + Ops.AddScalar(Ops.Exp(NegPart(x)), -1f),
        ["mpelu"] = x => Relu(x) + Ops.AddScalar(Ops.Exp(NegPart(x)), -1f),
        ["ptelu"] = x => Relu(x) + Ops.Tanh(NegPart(x)),
        ["serlu"] = x => Relu(x) * 1.07862f + NegPart(x) * Ops.Exp(NegPart(x)) * (1.07862f * 2.90427f),
        ["reu"] = x => Relu(x) + NegPart(x) * Ops.Exp(NegPart(x)),
        ["preu"] = x => Relu(x) + NegPart(x) * Ops.Exp(NegPart(x)),
        ["exponential"] = x => Ops.Exp(x),
        ["soft_exponential"] = x => Ops.AddScalar(Ops.AddScalar(Ops.Exp(x * 0.5f), -1f) * 2f, 0.5f),
        ["shifted_softplus"] = x => Ops.AddScalar(Softplus(x), -0.6931472f),
        ["slu"] = x => Relu(x) + Ops.AddScalar(Softplus(NegPart(x)), -0.6931472f) * 2f,
        ["soft_clipping"] = x =>
        {
            // Two overflow-free forms, each on its half (the clamps keep the unused side finite).
            var m = Mask(x, v => v < 0.5f);
            var a = Ops.Clamp(x, float.NegativeInfinity, 0.5f);
            var b = Ops.Clamp(x, 0.5f, float.PositiveInfinity);
            var lo = Ops.Log(Ops.AddScalar(Ops.Exp(a * 50f), 1f) / Ops.AddScalar(Ops.Exp(Ops.AddScalar(a, -1f) * 50f), 1f)) * 0.02f;
            var hi = Ops.AddScalar(Ops.Log(Ops.AddScalar(Ops.Exp(b * -50f), 1f) / Ops.AddScalar(Ops.Exp(Ops.AddScalar(b, -1f) * -50f), 1f)) * 0.02f, 1f);
            return lo * m + hi * Ops.AddScalar(-m, 1f);
        },
        ["log_cosh"] = x => Ops.Log((Ops.Exp(x) + Ops.Exp(-x)) * 0.5f),
        ["sine"] = x => Ops.Sin(x),
        ["cosine"] = x => Ops.Cos(x),
        ["snake_fixed"] = x => x + Ops.Sin(x) * Ops.Sin(x),
        ["x_plus_sin"] = x => x + Ops.Sin(x),
        ["spder"] = x => Ops.Sin(x) * Ops.Sqrt(Ops.AddScalar(Ops.Abs(x), 1e-30f)),
        ["sinc"] = x => SincT(x),
        ["ssu"] = x => { var m = Mask(x, v => MathF.Abs(v - Pi) < 1f); var far = -Ops.Sin(x) * Pi / (Ops.AddScalar(x, -Pi) + m); return SincT(Ops.AddScalar(x, -Pi)) * Pi * m + far * Ops.AddScalar(-m, 1f); },
        ["dsu"] = x => { var m = Mask(x, v => MathF.Abs(MathF.Abs(v) - Pi) < 1f); var far = Ops.Sin(x) * (Pi * Pi) / (Ops.AddScalar(-x, Pi) * Ops.AddScalar(x, Pi) + m); var near = (SincT(Ops.AddScalar(x, -Pi)) - SincT(Ops.AddScalar(x, Pi))) * (Pi / 2); return near * m + far * Ops.AddScalar(-m, 1f); },
        ["expsin"] = x => Ops.Exp(-Ops.Sin(x)),
        ["gabor"] = x => Ops.Cos(x * 20f) * Ops.Exp(x * x * -100f),
    };
}
