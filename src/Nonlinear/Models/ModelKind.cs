using Nonlinear.Kan;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Models;

/// <summary>
/// A model kind of "kind:W1,W2,…" specs (mlp, cnn, kan, …): its name, the bounds of its widths, whether it takes an
/// activation between layers, and the builder. A new kind is one subclass (or one instance of an existing one) plus one
/// line in <see cref="ModelKinds"/>. Every builder receives the activation factory, so every kind takes every activation
/// (fixed or learnable) the same way; a kind without activations refuses one at parse instead of ignoring it.
/// </summary>
public abstract class ModelKind
{
    /// <summary>The spec name before the colon ("mlp").</summary>
    public abstract string Name { get; }

    /// <summary>The expected form with an example, for help and error messages ("mlp:W1,W2,… hidden widths, e.g. mlp:256,256").</summary>
    public abstract string Form { get; }

    /// <summary>What the listed numbers are, for messages ("width", "channel count").</summary>
    public virtual string WidthWord => "width";

    /// <summary>Largest accepted width.</summary>
    public virtual int MaxWidth => 1 << 16;

    /// <summary>Whether "kind:" with no widths is a model (mlp: a linear classifier; kan: one KAN layer).</summary>
    public virtual bool AllowsNoWidths => true;

    /// <summary>Whether the kind accepts "@G" (a B-spline grid size).</summary>
    public virtual bool AcceptsGrid => false;

    /// <summary>
    /// The KAN bases of the kind's layers when a spec lists none ("kan[rbf(centres=12)]:64" lists them); null for kinds
    /// whose layers have no bases, which then refuse a list.
    /// </summary>
    public virtual IReadOnlyList<KanBasisSpec>? DefaultBases => null;

    /// <summary>
    /// The activation used when none is given; null for kinds whose layers learn their own nonlinearity (KAN), which
    /// then refuse any activation.
    /// </summary>
    public virtual ActivationSpec? DefaultActivation => ActivationSpec.Relu;

    /// <summary>Why a kind with no <see cref="DefaultActivation"/> takes no activation, for the refusal message.</summary>
    public virtual string NoActivationReason => "";

    /// <summary>
    /// The "key=value" options the kind accepts after its widths ("snn:1000,beta=0.9"); none by default. Bound once at
    /// parse into canonical spellings that <see cref="ModelSpec.Option"/> returns.
    /// </summary>
    public virtual IReadOnlyList<Activations.SpecParameter> KindOptions => [];

    /// <summary>The canonical spelling of option <paramref name="parameter"/>'s value; a kind overrides it for values that are themselves specs.</summary>
    /// <exception cref="InvalidInputException">An invalid value.</exception>
    public virtual string CanonicalOption(Activations.SpecParameter parameter, string value, string spec)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.Canonical(value, spec);
    }

    /// <summary>Builds the network for the spec's hidden widths between <paramref name="inputs"/> and <paramref name="outputs"/>.</summary>
    /// <param name="spec">The parsed spec (its widths and grid; its activation is in <paramref name="activation"/>).</param>
    /// <param name="inputs">Input features.</param>
    /// <param name="outputs">Outputs (classes or targets).</param>
    /// <param name="activation">Makes the activation module for a layer of the given width (null for kinds without activation).</param>
    /// <param name="rng">Source of the initial weights.</param>
    /// <exception cref="InvalidInputException">The data does not fit the kind (e.g. a CNN on features that are not a square image).</exception>
    public abstract Module Build(ModelSpec spec, int inputs, int outputs, Func<int, Module>? activation, Rng rng);

    /// <summary>
    /// Reads the part after "kind:" for kinds whose numbers are not a comma list of widths ("gpt:4x128,heads=4");
    /// null (the default) lets <see cref="ModelSpec.Parse"/> read the comma list.
    /// </summary>
    /// <exception cref="InvalidInputException">A malformed body.</exception>
    public virtual IReadOnlyList<int>? ParseWidths(string body, string model) => null;

    /// <summary>The part after "kind:" for <paramref name="widths"/>; must parse back through <see cref="ParseWidths"/>.</summary>
    public virtual string FormatWidths(IReadOnlyList<int> widths) => string.Join(",", widths.Select(w => w.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}
