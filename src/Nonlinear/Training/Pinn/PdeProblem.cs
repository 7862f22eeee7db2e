using Nonlinear.Tensors;

namespace Nonlinear.Training.Pinn;

/// <summary>
/// A PDE on a box in two coordinates (x, y) or (x, t), with Dirichlet boundary and, for evolution equations, initial
/// values, and the solution the fit is measured against (analytic, or a reference computed by a documented method).
/// </summary>
public abstract class PdeProblem
{
    /// <summary>Name as the CLI takes it: poisson2d, heat1d, burgers1d, helmholtz2d.</summary>
    public abstract string Name { get; }
    /// <summary>The equation in words and symbols, for reports.</summary>
    public abstract string Equation { get; }
    /// <summary>The two coordinate names ("x", "y") or ("x", "t").</summary>
    public abstract (string First, string Second) Coordinates { get; }
    /// <summary>Lower corner of the box.</summary>
    public abstract (double First, double Second) Lower { get; }
    /// <summary>Upper corner of the box.</summary>
    public abstract (double First, double Second) Upper { get; }
    /// <summary>True for an evolution equation in (x, t): the t = lower edge carries the initial values and t = upper is free.</summary>
    public virtual bool IsEvolution => false;

    /// <summary>The solution u(a, b) the fit is compared with.</summary>
    public abstract double Solution(double a, double b);

    /// <summary>The residual r (zero for the exact solution) at the collocation points, from the fields' derivatives.</summary>
    public abstract Tensor Residual(PdeFields u);

    /// <summary>The value u must take on the boundary (and at t = lower for evolution equations).</summary>
    public virtual double BoundaryValue(double a, double b) => Solution(a, b);

    /// <summary>The problems the CLI offers.</summary>
    public static IReadOnlyList<PdeProblem> All { get; } = [new Poisson2d(), new Heat1d(), new Burgers1d(), new Helmholtz2d()];

    /// <summary>The problem called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="InvalidInputException">Unknown name (the message lists the known ones).</exception>
    public static PdeProblem Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidInputException($"--pde must be one of {string.Join(", ", All.Select(p => p.Name))}; got '{name}'.", "pde");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Equation}";
}
