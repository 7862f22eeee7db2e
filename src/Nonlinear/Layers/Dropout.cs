using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>
/// Inverted dropout (torch.nn.Dropout): in training mode each element is kept with probability 1 − p and scaled by
/// 1/(1 − p), so E[y] = x; in evaluation mode y = x. The mask comes from the layer's own <see cref="Rng"/>, seeded at
/// construction, so a run is reproducible. Backward: dx = dy·mask/(1 − p). p = 1 gives zeros (no division by 0).
/// </summary>
public sealed class Dropout : Module
{
    /// <summary>Probability of zeroing an element.</summary>
    public float P { get; }

    /// <summary>The generator that draws the masks; its state belongs in a checkpoint for an exact resume.</summary>
    public Rng Rng { get; }

    /// <summary>Dropout with drop probability <paramref name="p"/> and a mask stream fixed by <paramref name="seed"/>.</summary>
    public Dropout(float p = 0.5f, ulong seed = 0)
    {
        if (!(p >= 0f && p <= 1f)) throw new ArgumentException($"p must be in [0, 1]; got {p}.", nameof(p));
        P = p;
        Rng = new Rng(seed);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!IsTraining || P == 0f) return x;
        var xc = x.Contiguous();
        float scale = P == 1f ? 0f : 1f / (1f - P);
        // One uniform per element: kept when u ≥ p, i.e. with probability 1 − p.
        var mask = new float[xc.Length];
        for (int i = 0; i < mask.Length; i++) mask[i] = Rng.NextFloat() >= P ? scale : 0f;
        var y = Tensor.FromArray(new float[xc.Length], xc.Shape.ToArray());
        Apply(xc.AsSpanUntracked(), mask, y.AsSpanUntracked());
        return Autograd.Record(y, "dropout", [xc], g =>
        {
            var gc = g.Contiguous();
            var dx = Tensor.FromArray(new float[gc.Length], gc.Shape.ToArray());
            Apply(gc.AsSpanUntracked(), mask, dx.AsSpanUntracked());
            return [dx];
        });
    }

    // y = x·m where m is 0 or 1/(1−p); the same product serves forward and backward.
    private static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> mask, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = mask[i] == 0f ? 0f : x[i] * mask[i];
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"p={PyFloat(P)}, inplace=False";
}
