namespace Nonlinear.Tensors;

public sealed partial class Tensor
{
    /// <summary>a + b with broadcasting (<see cref="Ops.Add"/>).</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);
    /// <summary>a − b with broadcasting (<see cref="Ops.Sub"/>).</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Sub(a, b);
    /// <summary>a · b elementwise with broadcasting (<see cref="Ops.Mul"/>).</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Mul(a, b);
    /// <summary>a / b elementwise with broadcasting (<see cref="Ops.Div"/>).</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Div(a, b);
    /// <summary>−a.</summary>
    public static Tensor operator -(Tensor a) => Ops.Neg(a);

    /// <summary>a + s.</summary>
    public static Tensor operator +(Tensor a, float s) => Ops.AddScalar(a, s);
    /// <summary>s + a.</summary>
    public static Tensor operator +(float s, Tensor a) => Ops.AddScalar(a, s);
    /// <summary>a − s.</summary>
    public static Tensor operator -(Tensor a, float s) => Ops.AddScalar(a, -s);
    /// <summary>s − a, as s + (−a).</summary>
    public static Tensor operator -(float s, Tensor a) => Ops.AddScalar(Ops.Neg(a), s);
    /// <summary>a · s.</summary>
    public static Tensor operator *(Tensor a, float s) => Ops.MulScalar(a, s);
    /// <summary>s · a.</summary>
    public static Tensor operator *(float s, Tensor a) => Ops.MulScalar(a, s);
    /// <summary>a / s, divided (not multiplied by 1/s) so the values equal torch's a / s bit for bit.</summary>
    public static Tensor operator /(Tensor a, float s) => Ops.Div(a, Ops.Scalar(s));
    /// <summary>s / a elementwise.</summary>
    public static Tensor operator /(float s, Tensor a) => Ops.Div(Ops.Scalar(s), a);
}
