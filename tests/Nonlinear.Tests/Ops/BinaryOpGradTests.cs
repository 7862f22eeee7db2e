using Nonlinear.Tensors;
using Nonlinear.Tests.OpsGrad.Reference;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.OpsGrad;

/// <summary>Add/Sub/Mul/Div with broadcasting: one correctly rounded operation per element, so forward ≤ 1·u·|r|.</summary>
public class BinaryOpGradTests
{
    public static TheoryData<string> Shapes => new()
    {
        "2,3|2,3", "2,3|3", "3|2,3", "2,1,4|3,1", "3,1|1,4", "|2,3", "2,3|", "|", "1|1", "1,1|5",
        "0,3|3", "2,0|1", "0|", "37|37", "4,5,6|5,1",
    };

    private static void Check(string spec, Func<Tensor, Tensor, Tensor> op, Func<RefTensor, RefTensor, RefTensor> reference, bool denominator = false) =>
        GradCheck.Run(new GradCase
        {
            Shapes = ShapeSpec.Parse(spec),
            Op = x => op(x[0], x[1]),
            Reference = x => reference(x[0], x[1]),
            ForwardUlps = 1,
            // Division: keep |b| ≥ 0.5 so the pole stays far from the finite-difference steps.
            Sample = denominator ? GradCheck.AwayFromZero(0.5f, 2f) : GradCheck.Uniform(-2f, 2f),
        });

    [Theory, MemberData(nameof(Shapes))]
    public void Add(string spec) => Check(spec, O.Add, RefElementwise.Add);

    [Theory, MemberData(nameof(Shapes))]
    public void Sub(string spec) => Check(spec, O.Sub, RefElementwise.Sub);

    [Theory, MemberData(nameof(Shapes))]
    public void Mul(string spec) => Check(spec, O.Mul, RefElementwise.Mul);

    [Theory, MemberData(nameof(Shapes))]
    public void Div(string spec) => Check(spec, O.Div, RefElementwise.Div, denominator: true);

    [Theory, MemberData(nameof(Shapes))]
    public void OperatorsCompose(string spec) => GradCheck.Run(new GradCase
    {
        Shapes = ShapeSpec.Parse(spec),
        Op = x => (x[0] - x[1]) * x[0],
        Reference = x => RefElementwise.Mul(RefElementwise.Sub(x[0], x[1]), x[0]),
        // Two roundings: (1+δ₁)(1+δ₂) − 1 ≤ 2u + u².
        ForwardUlps = 2 + 1e-6,
    });

    [Theory]
    [InlineData("2,3")]
    [InlineData("")]
    [InlineData("0,4")]
    [InlineData("70")]
    public void ScalarOps(string spec)
    {
        GradCheck.Run(new GradCase
        {
            Shapes = ShapeSpec.Parse(spec),
            Op = x => O.AddScalar(O.MulScalar(x[0], 2.5f), -0.75f),
            // Two roundings: (x·2.5)(1+δ₁) − 0.75, then (1+δ₂): |err| ≤ u·|2.5x| + u·|r| (+u² terms).
            Reference = x => x[0].Map(v => v * 2.5 - 0.75),
            Magnitude = (abs, r) => RefElementwise.Add(abs[0].Map(v => 2.5 * v), r.Abs()),
            ForwardUlps = 1 + 1e-6,
        });
        GradCheck.Run(new GradCase
        {
            Shapes = ShapeSpec.Parse(spec),
            Op = x => -x[0],
            Reference = x => x[0].Map(v => -v),
            ForwardUlps = 0,
        });
    }
}
