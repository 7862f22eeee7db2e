namespace Nonlinear.Export;

/// <summary>
/// A float tensor in a graph under construction, with operators so a decomposition reads like its formula:
/// <c>x * (x * 1.702).Sigmoid()</c> appends Mul, Sigmoid, Mul. Scalars become shared rank-0 initializers that broadcast.
/// </summary>
internal readonly record struct OnnxValue(OnnxGraphBuilder Builder, string Name)
{
    private OnnxValue Op(string op) => Builder.Node(op, [this]);
    private OnnxValue Op(string op, OnnxValue b) => Builder.Node(op, [this, b]);
    private OnnxValue S(double v) => Builder.Scalar(v);

    public static OnnxValue operator +(OnnxValue a, OnnxValue b) => a.Op("Add", b);
    public static OnnxValue operator -(OnnxValue a, OnnxValue b) => a.Op("Sub", b);
    public static OnnxValue operator *(OnnxValue a, OnnxValue b) => a.Op("Mul", b);
    public static OnnxValue operator /(OnnxValue a, OnnxValue b) => a.Op("Div", b);
    public static OnnxValue operator -(OnnxValue a) => a.Op("Neg");
    public static OnnxValue operator +(OnnxValue a, double b) => a + a.S(b);
    public static OnnxValue operator -(OnnxValue a, double b) => a - a.S(b);
    public static OnnxValue operator *(OnnxValue a, double b) => a * a.S(b);
    public static OnnxValue operator /(OnnxValue a, double b) => a / a.S(b);
    public static OnnxValue operator +(double a, OnnxValue b) => b.S(a) + b;
    public static OnnxValue operator -(double a, OnnxValue b) => b.S(a) - b;
    public static OnnxValue operator *(double a, OnnxValue b) => b.S(a) * b;
    public static OnnxValue operator /(double a, OnnxValue b) => b.S(a) / b;

    public OnnxValue Exp() => Op("Exp");
    public OnnxValue Log() => Op("Log");
    public OnnxValue Tanh() => Op("Tanh");
    public OnnxValue Sigmoid() => Op("Sigmoid");
    public OnnxValue Erf() => Op("Erf");
    public OnnxValue Abs() => Op("Abs");
    public OnnxValue Sign() => Op("Sign");
    public OnnxValue Sin() => Op("Sin");
    public OnnxValue Cos() => Op("Cos");
    public OnnxValue Atan() => Op("Atan");
    public OnnxValue Sqrt() => Op("Sqrt");
    public OnnxValue Relu() => Op("Relu");
    public OnnxValue Softplus() => Op("Softplus");
    public OnnxValue Floor() => Op("Floor");
    /// <summary>Round half to even (ONNX Round, opset 11), the same rule as our quantizers' MathF.Round.</summary>
    public OnnxValue Round() => Op("Round");
    public OnnxValue Neg() => Op("Neg");
    public OnnxValue Square() => this * this;
    public OnnxValue Cube() => this * this * this;
    public OnnxValue Pow(double p) => Op("Pow", S(p));
    public OnnxValue Pow(OnnxValue p) => Op("Pow", p);
    public OnnxValue Max(OnnxValue b) => Op("Max", b);
    public OnnxValue Min(OnnxValue b) => Op("Min", b);
    public OnnxValue Max(double b) => Max(S(b));
    public OnnxValue Min(double b) => Min(S(b));
    /// <summary>min(max(x, lo), hi).</summary>
    public OnnxValue Clamp(double lo, double hi) => Max(lo).Min(hi);

    // Comparisons give bool tensors, consumed by Where.
    public OnnxValue Gt(double b) => Op("Greater", S(b));
    public OnnxValue Lt(double b) => Op("Less", S(b));
    public OnnxValue Ge(double b) => Op("GreaterOrEqual", S(b));
    public OnnxValue Le(double b) => Op("LessOrEqual", S(b));
    public OnnxValue Gt(OnnxValue b) => Op("Greater", b);
    public OnnxValue Le(OnnxValue b) => Op("LessOrEqual", b);
    public OnnxValue Eq(double b) => Op("Equal", S(b));
    public OnnxValue Ge(OnnxValue b) => Op("GreaterOrEqual", b);
    public OnnxValue Lt(OnnxValue b) => Op("Less", b);
    public OnnxValue Not() => Op("Not");
    public OnnxValue Or(OnnxValue b) => Op("Or", b);
    public OnnxValue And(OnnxValue b) => Op("And", b);

    /// <summary>cond ? this : other, elementwise (both branches are evaluated; the one not taken may be ±∞ or NaN).</summary>
    public static OnnxValue Where(OnnxValue cond, OnnxValue whenTrue, OnnxValue whenFalse) =>
        cond.Builder.Node("Where", [cond, whenTrue, whenFalse]);

    /// <summary>cond ? a : constant.</summary>
    public static OnnxValue Where(OnnxValue cond, OnnxValue whenTrue, double whenFalse) => Where(cond, whenTrue, cond.Builder.Scalar(whenFalse));

    /// <summary>cond ? constant : b.</summary>
    public static OnnxValue Where(OnnxValue cond, double whenTrue, OnnxValue whenFalse) => Where(cond, cond.Builder.Scalar(whenTrue), whenFalse);

    /// <summary>Where with two constants, broadcast to cond's shape.</summary>
    public static OnnxValue Where(OnnxValue cond, double whenTrue, double whenFalse) => Where(cond, cond.Builder.Scalar(whenTrue), cond.Builder.Scalar(whenFalse));
}
