using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// The code of one activation: the float formula and backward rule for every register width (from
/// <see cref="IDifferentiableKernel"/>) plus a double-precision reference of f and f′ that tests hold the
/// float code to. Hyper-parameters are fields of the implementing struct.
/// </summary>
internal interface IActivationKernel : IDifferentiableKernel
{
    /// <summary>f(x) in double precision: the specification the float code is tested against.</summary>
    double Reference(double x);
    /// <summary>The exact f′(x) in double precision (at kinks: the convention in <see cref="ActivationInfo.Notes"/>).</summary>
    double ReferenceDerivative(double x);
}
