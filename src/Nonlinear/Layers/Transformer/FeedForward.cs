using Nonlinear.Tensors;

namespace Nonlinear.Layers.Transformer;

/// <summary>
/// The MLP of a transformer block (<see cref="MlpSpec"/>): plain <c>fc_out(f(fc_in(x)))</c> or gated
/// <c>fc_out(g(a) ⊙ b)</c> with [a | b] = fc_in(x) (one Linear of width 2h, so gate and value come from one GEMM).
/// The hidden activations pass through <c>hook_post</c> (the "MLP activations" of interpretability tools).
/// A fixed gate runs the fused <see cref="GateOp.GatedProduct"/>; a learnable gate (its own parameters) runs its
/// module on a and multiplies.
/// </summary>
public sealed class FeedForward : Module
{
    private readonly Activations.Activation? _fixedGate;
    private readonly Module? _act;

    /// <summary>The kind of MLP.</summary>
    public MlpSpec Spec { get; }
    /// <summary>Hidden width h.</summary>
    public int Hidden { get; }
    /// <summary>d → h (plain) or d → 2h (gated: gate columns first, then value).</summary>
    public Linear In { get; }
    /// <summary>h → d.</summary>
    public Linear Out { get; }
    /// <summary>The hidden activations [.., h].</summary>
    public HookPoint HookPost { get; }

    /// <summary>An MLP d → <paramref name="hidden"/> → d of kind <paramref name="spec"/>.</summary>
    public FeedForward(int width, int hidden, MlpSpec spec, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(rng);
        if (hidden <= 0) throw new ArgumentException($"hidden must be > 0; got {hidden}.", nameof(hidden));
        Spec = spec;
        Hidden = hidden;
        In = RegisterModule("fc_in", new Linear(width, spec.IsGated ? 2 * hidden : hidden, rng));
        if (spec.Activation is { } a)
        {
            if (!spec.IsGated || a.IsLearnable) _act = RegisterModule("act", a.CreateModule(hidden, rng));
            else _fixedGate = a.Fixed;
        }
        HookPost = RegisterModule("hook_post", new HookPoint());
        Out = RegisterModule("fc_out", new Linear(hidden, width, rng));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        var u = In.Call(x);
        Tensor hidden;
        if (!Spec.IsGated) hidden = _act!.Call(u);
        else if (_act is null) hidden = GateOp.GatedProduct(u, _fixedGate);
        else hidden = Ops.Mul(_act.Call(Ops.Slice(u, -1, 0, Hidden).Contiguous()), Ops.Slice(u, -1, Hidden, Hidden));
        return Out.Call(HookPost.Call(hidden));
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"kind={Spec}, hidden={Hidden}";
}
