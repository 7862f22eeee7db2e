using Nonlinear.Tensors;

namespace Nonlinear.Tests.Activations;

/// <summary>Compositions of the piecewise entries: clamps, masks (constant tensors, the "where" of a piecewise function) and arithmetic.</summary>
public partial class ActivationCompositionTests
{
    /// <summary>A constant 0/1 tensor (no gradient) selecting where <paramref name="p"/> holds.</summary>
    private static Tensor M(Tensor x, Func<float, bool> p) => Tensor.FromArray(x.ToArray().Select(v => p(v) ? 1f : 0f).ToArray(), x.Shape.ToArray());

    /// <summary>The values of <paramref name="t"/> as a constant (detached) tensor.</summary>
    private static Tensor Detach(Tensor t) => Tensor.FromArray(t.ToArray(), t.Shape.ToArray());

    /// <summary>Straight-through: the value of <paramref name="value"/>, the gradient of <paramref name="surrogate"/>.</summary>
    private static Tensor Ste(Tensor value, Tensor surrogate) => surrogate + Detach(value - surrogate);

    private static Tensor Add(Tensor x, float c) => Ops.AddScalar(x, c);

    private static Tensor Const(Tensor x, Func<float, float> f) => Tensor.FromArray(x.ToArray().Select(f).ToArray(), x.Shape.ToArray()) + x * 0f;

    static partial void AddPiecewise(Dictionary<string, Func<Tensor, Tensor>> d)
    {
        float rreluSlope = (float)(((double)0.125f + (double)(float)(1.0 / 3)) / 2);
        d["shifted_relu"] = x => Relu(Add(x, -1));
        d["shifted_relu_clipped"] = x => Ops.Clamp(Add(x, -1), 0, 1);
        d["relu_squared"] = x => Relu(x) * Relu(x);
        d["rrelu"] = x => Relu(x) + NegPart(x) * rreluSlope;
        d["threshold"] = x => x * M(x, v => v > 0.1f) + M(x, v => v <= 0.1f) * 20f;
        d["thresholded_relu"] = x => x * M(x, v => v > 1);
        d["bounded_relu"] = x => Ops.Clamp(x, 0, 1);
        d["clipped_relu"] = x => Ops.Clamp(x, 0, 20);
        d["smelu"] = x => x * M(x, v => v >= 1) + Add(x, 1) * Add(x, 1) * M(x, v => MathF.Abs(v) < 1) * 0.25f;
        d["sparse_plus"] = d["smelu"];
        d["sparse_sigmoid"] = x => Ops.Clamp(Add(x, 1) * 0.5f, 0, 1);
        d["plu"] = x => Add(Add(x, -1) * 0.1f, 1) * M(x, v => v > 1) + Add(Add(x, 1) * 0.1f, -1) * M(x, v => v < -1) + x * M(x, v => MathF.Abs(v) <= 1);
        d["helu"] = x => Ste(Relu(x), x * M(x, v => v > -0.05f));
        d["crrelu"] = x => Relu(x) + x * Ops.Exp(x * x * -0.5f) * 0.01f;
        d["nlrelu"] = x => Ops.Log(Add(Relu(x), 1));
        d["prelu_fixed"] = x => Relu(x) + NegPart(x) * 0.25f;
        d["very_leaky_relu"] = x => Relu(x) + NegPart(x) * (1f / 3);
        d["srelu"] = x => Add(Add(x, -1) * 0.5f, 1) * M(x, v => v >= 1) + Add(Add(x, 1) * 0.2f, -1) * M(x, v => v <= -1) + x * M(x, v => MathF.Abs(v) < 1);
        d["displaced_relu"] = x => Ops.Clamp(x, -0.05f, float.PositiveInfinity);
        d["alrelu"] = x => Relu(x) + Ops.Abs(NegPart(x) * 0.01f);
        d["bounded_leaky_relu"] = x => x * M(x, v => v <= 0) * 0.1f + x * M(x, v => v > 0 && v < 1) + Add(Add(x, -1) * 0.1f, 1) * M(x, v => v >= 1);
        d["star_relu"] = x => Add(Relu(x) * Relu(x) * 0.8944271909999159f, -0.4472135954999579f);
        d["lelelu"] = x => Relu(x) + NegPart(x) * 0.01f;
        d["tlu"] = Relu;
        d["relu_keras"] = Relu;
        d["soft_threshold"] = x => x - Ops.Clamp(x, -1, 1);
        d["soft_threshold_clipped"] = x => Ops.Clamp(x - Ops.Clamp(x, -1, 1), -1, 1);
        // Inside the dead zone x is shifted by a constant 1 so that 1/x never sees 0 (that branch is masked out anyway).
        d["garrote"] = x => { var xs = x + M(x, v => MathF.Abs(v) <= 1); return (xs - Ops.Div(Tensor.Ones(1), xs)) * M(x, v => MathF.Abs(v) > 1); };
        d["firm_threshold"] = x => x * M(x, v => MathF.Abs(v) >= 1) + Add(x * 2f, -1) * M(x, v => v > 0.5f && v < 1) + Add(x * 2f, 1) * M(x, v => v < -0.5f && v > -1);
        d["shrink"] = x => x * M(x, v => MathF.Abs(v) > 0.5f);
        d["hard_sigmoid_keras"] = x => Ops.Clamp(Add(x * 0.2f, 0.5f), 0, 1);
        d["hard_elish"] = x =>
        {
            var h = Ops.Clamp(Add(x, 1) * 0.5f, 0, 1);
            return Add(Ops.Exp(x), -1) * h * M(x, v => v < 0) + x * h * M(x, v => v >= 0);
        };
        d["hard_mish"] = x => x * Ops.Clamp(Add(x, 2), 0, 2) * 0.5f;
        d["smooth_step"] = x =>
        {
            var t = Ops.Clamp(Add(x, 0.5f), 0, 1);
            return t * t * Add(t * -2f, 3);
        };
        d["sqnl"] = x =>
        {
            var a = Ops.Clamp(x, -2, 2);
            return a - a * Ops.Abs(a) * 0.25f;
        };
        d["sqlu"] = x => x * M(x, v => v > 0) + (x + x * x * 0.25f) * M(x, v => v <= 0 && v >= -2) - M(x, v => v < -2);
        d["binary_step"] = x => Const(x, v => v >= 0 ? 1 : 0);
        d["heaviside"] = x => Const(x, v => v > 0 ? 1 : v < 0 ? 0 : 0.5f);
        d["sign"] = x => Const(x, v => v > 0 ? 1 : v < 0 ? -1 : v);
        d["symmetric_step"] = x => Const(x, v => v >= 0 ? 1 : -1);
        d["sign_ste"] = x => Ste(Const(x, v => v >= 0 ? 1 : -1), x * M(x, v => MathF.Abs(v) <= 1));
        d["round_ste"] = x => Ste(Const(x, v => MathF.Round(v, MidpointRounding.ToEven)), x);
        d["dorefa_quantize"] = x => Ste(Const(x, v => MathF.Round(Math.Clamp(v, 0, 1) * 3, MidpointRounding.ToEven) / 3), x * M(x, v => v > 0 && v < 1));
        d["pact"] = x => Ste(Const(x, v => MathF.Round(Math.Clamp(v, 0, 10) * 1.5f, MidpointRounding.ToEven) / 1.5f), x * M(x, v => v > 0 && v < 10));
        d["lsq_quantize"] = x => Ste(Const(x, v => MathF.Round(Math.Clamp(v * 4, 0, 7), MidpointRounding.ToEven) * 0.25f), x * M(x, v => v > 0 && v < 1.75f));
        d["ternary_ste"] = x => Ste(Const(x, v => v > 0.5f ? 1 : v < -0.5f ? -1 : 0), x * M(x, v => MathF.Abs(v) <= 1));
        d["signrelu"] = x => Relu(x) + NegPart(x) / Add(-NegPart(x), 1);
        d["scad_threshold"] = x =>
        {
            var soft = x - Ops.Clamp(x, -1, 1);
            var mid = (x * 2.7f - Const(x, v => MathF.Sign(v) * 3.7f)) * (1f / 1.7f);
            return soft * M(x, v => MathF.Abs(v) <= 2) + mid * M(x, v => MathF.Abs(v) > 2 && MathF.Abs(v) <= 3.7f) + x * M(x, v => MathF.Abs(v) > 3.7f);
        };
        d["mcp_threshold"] = x => (x - Const(x, v => MathF.Sign(v))) * 1.5f * M(x, v => MathF.Abs(v) > 1 && MathF.Abs(v) <= 3) + x * M(x, v => MathF.Abs(v) > 3);
        d["signed_sqrt"] = x => (Ops.Sqrt(Add(Relu(x), 1)) - Ops.Sqrt(Add(-NegPart(x), 1))) + x * 0.001f;
        d["tent"] = x => Relu(Add(-Ops.Abs(x), 1));
        d["step_ste"] = x => Ste(Const(x, v => v >= 0 ? 1 : 0), x);
        d["symmetric_quantize"] = x => Ste(Const(x, v => MathF.Round(Math.Clamp(v, -1, 1) * 7, MidpointRounding.ToEven) / 7), x * M(x, v => MathF.Abs(v) <= 1));
        d["cubic_soft_clip"] = x => { var a = Ops.Clamp(x, -1, 1); return a - a * a * a * (1f / 3); };
        d["elastic_net_threshold"] = x => (x - Ops.Clamp(x, -1, 1)) * 0.5f;
        d["asinh"] = x =>
        {
            // Each sign in its own non-cancelling form (asinh is odd).
            var s = Ops.Sqrt(Add(x * x, 1));
            return Ops.Log(x * M(x, v => v >= 0) + s + M(x, v => v < 0)) * M(x, v => v >= 0)
                   - Ops.Log(-x * M(x, v => v < 0) + s + M(x, v => v >= 0)) * M(x, v => v < 0);
        };
        d["hermite2"] = x => Add(x * x, -1) * 0.70710678f;
        d["hermite3"] = x => (x * x * x - x * 3f) * 0.40824829f;
        d["smoother_step"] = x =>
        {
            // g(s) = s³(s(6s − 15) + 10) on the half nearer 0, 1 − g(1 − t) on the other (the curve is odd about 1/2).
            static Tensor G(Tensor s) => s * s * s * Add(s * Add(s * 6f, -15), 10);
            var t = Ops.Clamp(Add(x, 0.5f), 0, 1);
            var u = Ops.Clamp(Add(-x, 0.5f), 0, 1);
            return G(t) * M(x, v => v <= 0) + Add(-G(u), 1) * M(x, v => v > 0);
        };
        d["square"] = x => x * x;
        d["cube"] = x => x * x * x;
        d["abs"] = Ops.Abs;
        d["bifiring"] = x => x * x * M(x, v => MathF.Abs(v) <= 1) * 0.5f + Add(Ops.Abs(x), -0.5f) * M(x, v => MathF.Abs(v) > 1);
        d["repu"] = x => Relu(x) * Relu(x) * Relu(x);
        d["isru"] = x => x / Ops.Sqrt(Add(x * x, 1));
        d["isrlu"] = x => Relu(x) + NegPart(x) / Ops.Sqrt(Add(NegPart(x) * NegPart(x), 1));
        d["bent_identity"] = x => Add(Ops.Sqrt(Add(x * x, 1)), -1) * 0.5f + x;
        d["squareplus"] = x => (x + Ops.Sqrt(Add(x * x, 4))) * 0.5f;
        d["elephant"] = x => Ops.Div(Tensor.Ones(1), Add(x * x * x * x, 1));
        d["symlog"] = x => Ops.Log(Add(Relu(x), 1)) - Ops.Log(Add(-NegPart(x), 1));
    }
}
