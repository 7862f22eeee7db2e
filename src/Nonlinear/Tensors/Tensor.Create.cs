namespace Nonlinear.Tensors;

public sealed partial class Tensor
{
    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => Full(0f, shape);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        Shapes.Validate(shape, nameof(shape));
        if (value == 0f) return TensorArena.ZeroFilled((int[])shape.Clone());
        var t = TensorArena.Empty((int[])shape.Clone());
        t.AsSpanUntracked().Fill(value);
        return t;
    }

    /// <summary>A tensor shaped like <paramref name="like"/>, filled with zeros.</summary>
    public static Tensor ZerosLike(Tensor like) => Zeros(like.Shape.ToArray());

    /// <summary>[start, start+step, …) below <paramref name="end"/> (torch.arange).</summary>
    public static Tensor Arange(float start, float end, float step = 1f)
    {
        if (step == 0 || float.IsNaN(step) || !float.IsFinite(start) || !float.IsFinite(end))
            throw new ArgumentException($"arange needs finite start/end and a non-zero step; got start={start}, end={end}, step={step}.");
        long n = Math.Max(0L, (long)Math.Ceiling((end - (double)start) / step));
        if (n > Array.MaxLength) throw new ArgumentException($"arange would have {n} elements.");
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (float)(start + (double)i * step);
        return new Tensor(data, [(int)n]);
    }

    /// <summary>Uniform samples in [low, high) (torch.rand scaled).</summary>
    public static Tensor Rand(Rng rng, int[] shape, float low = 0f, float high = 1f)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var t = Zeros(shape);
        var s = t.AsSpanUntracked();
        float width = high - low;
        for (int i = 0; i < s.Length; i++) s[i] = low + width * rng.NextFloat();
        return t;
    }

    /// <summary>Normal samples with the given mean and standard deviation (torch.randn scaled).</summary>
    public static Tensor Randn(Rng rng, int[] shape, float mean = 0f, float std = 1f)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var t = Zeros(shape);
        var s = t.AsSpanUntracked();
        for (int i = 0; i < s.Length; i++) s[i] = (float)(mean + std * rng.NextGaussian());
        return t;
    }
}
