using System.Globalization;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Models;

/// <summary>
/// The shared shape of the coordinate-network kinds (siren, spder, finer, gauss, gabor): "kind:WxD" is D hidden layers
/// of width W, each Linear → the kind's nonlinearity, then a Linear to the outputs; the nonlinearity is fixed by the
/// kind (its frequency and width are kind options, e.g. "siren:256x3,omega=30"), so an --activation is refused.
/// </summary>
/// <remarks>
/// Initialisation follows each paper's code. The sine family (SIREN, SPDER, FINER) draws the first layer's weights from
/// U(±1/n) and every later layer's (the output layer included, as SIREN's outermost_linear) from U(±√(6/n)/ω₀), n the
/// fan-in, so that ω₀·(W·x + b) is of order 1 at every depth (Sitzmann et al. 2020, supplement 1.5); biases keep
/// PyTorch's U(±1/√n). The Gaussian and Gabor kinds keep PyTorch's default (WIRE's code does).
/// </remarks>
public abstract class CoordinateNetworkKind : ModelKind
{
    /// <inheritdoc/>
    public override bool AllowsNoWidths => false;

    /// <inheritdoc/>
    public override ActivationSpec? DefaultActivation => null;

    /// <inheritdoc/>
    public override string NoActivationReason => $"the {Name} layers fix their nonlinearity (set its parameters as kind options, e.g. {Name}:256x3,{KindOptions[0].Name}={KindOptions[0].Default})";

    /// <summary>Whether the weights use SIREN's initialisation (false: PyTorch's Linear default).</summary>
    protected abstract bool SirenInit { get; }

    /// <summary>ω₀ of SIREN's weight bound √(6/n)/ω₀ (the sine kinds' "omega" option).</summary>
    protected virtual double InitOmega(ModelSpec spec) => Number(spec, "omega");

    /// <summary>The nonlinearity after hidden layer <paramref name="layer"/> (0-based) of width <paramref name="width"/>.</summary>
    protected abstract Module Nonlinearity(ModelSpec spec, int layer, int width);

    /// <summary>Re-draws the first layer's bias (FINER widens it); the default keeps PyTorch's.</summary>
    protected virtual void InitFirstBias(ModelSpec spec, Linear first, Rng rng) { }

    /// <summary>"WxD" when every width is W (the form users write), else the comma list.</summary>
    public override string FormatWidths(IReadOnlyList<int> widths)
    {
        ArgumentNullException.ThrowIfNull(widths);
        return widths.Count > 1 && widths.All(w => w == widths[0])
            ? string.Create(CultureInfo.InvariantCulture, $"{widths[0]}x{widths.Count}")
            : base.FormatWidths(widths);
    }

    /// <inheritdoc/>
    public override Module Build(ModelSpec spec, int inputs, int outputs, Func<int, Module>? activation, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(rng);
        var layers = new List<Module>();
        int width = inputs;
        for (int i = 0; i <= spec.Widths.Count; i++)
        {
            bool last = i == spec.Widths.Count;
            int next = last ? outputs : spec.Widths[i];
            var linear = new Linear(width, next, rng);
            if (SirenInit)
            {
                double bound = i == 0 ? 1.0 / width : Math.Sqrt(6.0 / width) / InitOmega(spec);
                Init.Uniform(linear.Weight, rng, -bound, bound);
            }
            if (i == 0) InitFirstBias(spec, linear, rng);
            layers.Add(linear);
            if (!last) layers.Add(Nonlinearity(spec, i, next));
            width = next;
        }
        return new Sequential(layers.ToArray());
    }

    /// <summary>The numeric kind option <paramref name="name"/> of <paramref name="spec"/>.</summary>
    protected static double Number(ModelSpec spec, string name)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return double.Parse(spec.Option(name), CultureInfo.InvariantCulture);
    }

    /// <summary>A number formatted for a catalog spec ("sine(omega=30)").</summary>
    protected static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
