using System.Numerics;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// The named parameter arrays of one SAE (or their gradients): W_enc [d_in, d_sae], W_dec [d_sae, d_out],
/// b_dec [d_out] and the architecture's extras (b_enc, log_threshold, b_gate, r_mag, b_mag), all row-major.
/// </summary>
internal sealed class SaeParams<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public const string WEncName = "W_enc", WDecName = "W_dec", BDecName = "b_dec";

    private readonly Dictionary<string, T[]> _arrays = [];

    public SaeParams(SaeConfig cfg)
    {
        Names = NamesOf(cfg);
        foreach (var name in Names) _arrays[name] = new T[Length(cfg, name)];
    }

    /// <summary>The parameter names in file order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The parameter names of an SAE with <paramref name="cfg"/>, in file order, without allocating its arrays.</summary>
    public static string[] NamesOf(SaeConfig cfg) => [WEncName, .. cfg.Architecture.ExtraParameters, WDecName, BDecName];

    public T[] this[string name] => _arrays[name];

    public T[] WEnc => _arrays[WEncName];
    public T[] WDec => _arrays[WDecName];
    public T[] BDec => _arrays[BDecName];

    public void Clear() { foreach (var a in _arrays.Values) Array.Clear(a); }

    /// <summary>Shape of a parameter: the two matrices are 2-d, every other parameter is one entry per latent (or per output for b_dec).</summary>
    public static int[] Shape(SaeConfig cfg, string name) => name switch
    {
        WEncName => [cfg.DIn, cfg.DSae],
        WDecName => [cfg.DSae, cfg.DOut],
        BDecName => [cfg.DOut],
        _ => [cfg.DSae],
    };

    private static int Length(SaeConfig cfg, string name) => Shape(cfg, name).Aggregate(1, (a, b) => checked(a * b));
}
