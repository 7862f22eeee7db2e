using Nonlinear.Kan;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Models;

/// <summary>
/// A KAN kind: hidden widths (as mlp:, so kan:64 on Fashion-MNIST is [784, 64, 10]) with the layer options of one
/// paper's set-up, "@G" for the B-spline grid size, and optionally other bases in brackets ("kan[rbf(centres=12)]:64",
/// "skan[bspline,fourier]:32"): the spec's <see cref="ModelSpec.Bases"/> replace the set-up's, its other options stay. KAN edges learn their own functions and the residual branch is
/// SiLU in every set-up we reproduce, so KAN kinds take no activation and refuse one rather than ignore it.
/// </summary>
/// <param name="name">The spec name ("kan-rbf").</param>
/// <param name="options">The layer options (bases, base branch, bias, …).</param>
/// <param name="description">The set-up in a few words, for help.</param>
public sealed class KanKind(string name, KanOptions options, string description) : ModelKind
{
    /// <inheritdoc/>
    public override string Name => name;

    /// <summary>The layer options before "@G".</summary>
    public KanOptions Options => options;

    /// <inheritdoc/>
    public override string Form => $"{name}:W1,W2,… hidden widths, optional @G grid size, e.g. {name}:64@8 ({description}; other bases: {name}[rbf(centres=12)]:64)";

    /// <inheritdoc/>
    public override IReadOnlyList<KanBasisSpec> DefaultBases => options.Bases;

    /// <inheritdoc/>
    public override bool AcceptsGrid => true;

    /// <inheritdoc/>
    public override ActivationSpec? DefaultActivation => null;

    /// <inheritdoc/>
    public override string NoActivationReason =>
        "KAN edges learn their own functions (base branch SiLU, as pykan's default base_fun); --activation applies to mlp: and cnn:";

    /// <summary>The layer options for <paramref name="spec"/>: the set-up's, with the spec's bases (its grid size applied).</summary>
    public KanOptions LayerOptions(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!ReferenceEquals(spec.Kind, this)) throw new ArgumentException($"spec is a {spec.Kind.Name} spec; this kind is {name}.", nameof(spec));
        return spec.Bases.SequenceEqual(options.Bases) ? options : options with { Bases = spec.Bases };
    }

    /// <inheritdoc/>
    public override Module Build(ModelSpec spec, int inputs, int outputs, Func<int, Module>? activation, Rng rng) =>
        new KanNetwork([inputs, .. spec.Widths, outputs], LayerOptions(spec), rng);
}
