using System.Globalization;
using Nonlinear.Layers;
using Nonlinear.Layers.Transformer;
using Nonlinear.Tensors;

namespace Nonlinear.Models;

/// <summary>
/// "gpt:LAYERSxWIDTH[,heads=H,ctx=C]": a decoder-only transformer (<see cref="DecoderTransformer"/>) of LAYERS blocks of
/// width WIDTH, H heads (default: the largest count ≤ WIDTH/32 dividing WIDTH, at least 1) and context C (default 128). The spec's widths are
/// [layers, width, heads, ctx]; the MLP kind is chosen separately (--mlp, <see cref="MlpSpec"/>). Trained on text by
/// <c>nonlinear lm</c>, not on feature tables, so <see cref="Build"/> refuses.
/// </summary>
public sealed class GptKind : ModelKind
{
    /// <summary>Context length when "ctx=" is not given.</summary>
    public const int DefaultContext = 128;

    /// <inheritdoc/>
    public override string Name => "gpt";

    /// <inheritdoc/>
    public override string Form => "gpt:LAYERSxWIDTH[,heads=H,ctx=C], e.g. gpt:4x128 or gpt:4x128,heads=4,ctx=128";

    /// <inheritdoc/>
    public override bool AllowsNoWidths => false;

    /// <inheritdoc/>
    public override int MaxWidth => 1 << 14;

    /// <inheritdoc/>
    public override ActivationSpec? DefaultActivation => null;

    /// <inheritdoc/>
    public override string NoActivationReason => "a gpt model's MLP is chosen with --mlp (swiglu, geglu, reglu, glu(ACT), bilinear or an activation)";

    /// <inheritdoc/>
    public override IReadOnlyList<int>? ParseWidths(string body, string model)
    {
        ArgumentNullException.ThrowIfNull(body);
        var items = body.Split(',');
        if (items.Length > 3) throw Bad(model, $"{items.Length} comma-separated parts");
        var lw = items[0].Trim().Split('x', 'X');
        if (lw.Length != 2 || !TryInt(lw[0], out int layers) || !TryInt(lw[1], out int width)) throw Bad(model, $"'{items[0].Trim()}' is not LAYERSxWIDTH");
        // Default heads: about one per 32 columns, the largest such count that divides the width (gpt:4x100 → 2).
        int heads = Math.Max(1, width / 32), ctx = DefaultContext;
        while (heads > 1 && width % heads != 0) heads--;
        bool seenHeads = false, seenCtx = false;
        foreach (var item in items.Skip(1))
        {
            var kv = item.Split('=', 2);
            string key = kv[0].Trim().ToLowerInvariant();
            if (kv.Length != 2 || !TryInt(kv[1], out int v)) throw Bad(model, $"'{item.Trim()}' is not heads=H or ctx=C");
            if (key == "heads" && !seenHeads) { heads = v; seenHeads = true; }
            else if (key == "ctx" && !seenCtx) { ctx = v; seenCtx = true; }
            else throw Bad(model, $"'{item.Trim()}' is unknown or repeated (expected heads=H, ctx=C)");
        }
        if (heads >= 1 && width % heads != 0) throw Bad(model, $"heads={heads} does not divide the width {width}");
        return [layers, width, heads, ctx];
    }

    /// <inheritdoc/>
    public override string FormatWidths(IReadOnlyList<int> widths)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count != 4) return string.Join(",", widths);
        return string.Create(CultureInfo.InvariantCulture, $"{widths[0]}x{widths[1]},heads={widths[2]},ctx={widths[3]}");
    }

    /// <summary>The transformer of <paramref name="spec"/> over <paramref name="vocab"/> tokens with MLP <paramref name="mlp"/>.</summary>
    public static TransformerConfig Config(ModelSpec spec, int vocab, MlpSpec mlp)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(mlp);
        if (spec.Kind is not GptKind || spec.Widths.Count != 4) throw new InvalidInputException($"--model '{spec}': expected a gpt model, e.g. gpt:4x128.", nameof(spec));
        var config = new TransformerConfig(vocab, spec.Widths[0], spec.Widths[1], spec.Widths[2], spec.Widths[3]) { Mlp = mlp };
        config.Validate();
        return config;
    }

    /// <inheritdoc/>
    public override Module Build(ModelSpec spec, int inputs, int outputs, Func<int, Module>? activation, Rng rng) =>
        throw new InvalidInputException($"--model '{spec}': gpt models learn from text sequences, not feature tables; train one with `nonlinear lm train --model {spec}`.", nameof(spec));

    private static bool TryInt(string s, out int v) => int.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out v);

    private InvalidInputException Bad(string model, string what) => new($"--model '{model}': {what}; expected {Form}.", nameof(model));
}
