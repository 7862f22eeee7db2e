namespace Nonlinear.Activations;

/// <summary>A catalog row: the description and a factory that binds parameter values.</summary>
public sealed class ActivationEntry
{
    private readonly Func<double[], Activation> _create;

    /// <summary>Declares an entry; <paramref name="create"/> receives one value per parameter, already validated.</summary>
    public ActivationEntry(ActivationInfo info, Func<double[], Activation> create)
    {
        Info = info;
        _create = create;
    }

    /// <summary>An entry for a kernel with no parameters; <paramref name="fused"/>: its one-pass y-and-f′ path, if it has one.</summary>
    internal static ActivationEntry Fixed<K>(ActivationInfo info, ForwardDerivativePath<K>? fused = null) where K : struct, IActivationKernel
    {
        var i = WithVectorPath<K>(info);
        return new(i, _ => new Activation<K>(i, default, [], fused));
    }

    /// <summary>
    /// An entry whose kernel is built from the parameter values; the kernel must give ∂f/∂θ for every parameter.
    /// <paramref name="fused"/>: its one-pass y-and-f′ path, if it has one.
    /// </summary>
    internal static ActivationEntry Parametric<K>(ActivationInfo info, Func<double[], K> kernel, ForwardDerivativePath<K>? fused = null)
        where K : struct, IParametricActivationKernel
    {
        var i = WithVectorPath<K>(info);
        return new(i, p => new ParametricActivation<K>(i, kernel(p), p, fused));
    }

    // Whether a fused vector formula exists is a fact about the kernel type, so it is read from there and cannot be mis-declared.
    private static ActivationInfo WithVectorPath<K>(ActivationInfo info) where K : struct, IActivationKernel =>
        info with { FusedVectorPath = !(default(K) is ILaneWiseKernel) };

    /// <summary>Names, formulas, parameters, properties.</summary>
    public ActivationInfo Info { get; }

    /// <summary>The activation with default parameters.</summary>
    public Activation Create() => Create(Info.Parameters.Select(p => p.Default).ToArray());

    /// <summary>The activation with the given parameter values (one per parameter, in order).</summary>
    /// <exception cref="ArgumentException">Wrong count, NaN, or a value outside the parameter's range.</exception>
    public Activation Create(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var ps = Info.Parameters;
        if (values.Length != ps.Count)
            throw new InvalidInputException($"{Info.Name} takes {ps.Count} parameter(s) ({string.Join(", ", ps.Select(p => p.Name))}); got {values.Length}.", nameof(values));
        for (int i = 0; i < ps.Count; i++)
            if (double.IsNaN(values[i]) || values[i] < ps[i].Min || values[i] > ps[i].Max)
                throw new InvalidInputException($"{Info.Name}: {ps[i].Name} = {values[i]}; expected a value in [{ps[i].Min}, {ps[i].Max}].", nameof(values));
        return _create((double[])values.Clone());
    }
}
