using Nonlinear.Tensors;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// A trained (or freshly initialised) sparse autoencoder or transcoder: its <see cref="Config"/> and its float
/// parameters, named as in SAELens. Encode, decode and reconstruct batches of activations [n, d_in]; save and load
/// with <see cref="SaeFiles"/>; train with <see cref="SaeTrainer"/>.
/// </summary>
public sealed class SparseAutoencoder
{
    internal SparseAutoencoder(SaeConfig config, SaeParams<float> parameters)
    {
        Config = config;
        Params = parameters;
    }

    /// <summary>Sizes, architecture and hyper-parameters.</summary>
    public SaeConfig Config { get; }

    internal SaeParams<float> Params { get; }

    /// <summary>BatchTopK's inference threshold θ (0 for other architectures).</summary>
    public double BatchThreshold { get; internal set; }

    /// <summary>The module (dotted name) whose activations this SAE reads (SAELens <c>hook_name</c>), if known.</summary>
    public string? HookName { get; set; }

    /// <summary>The parameters by SAELens name (W_enc [d_in, d_sae], b_enc, W_dec [d_sae, d_out], b_dec, …), as tensors over the live weights.</summary>
    public IReadOnlyDictionary<string, Tensor> Parameters =>
        Params.Names.ToDictionary(n => n, n => Tensor.FromArray(Params[n], SaeParams<float>.Shape(Config, n)));

    /// <summary>A new SAE: decoder rows random unit vectors (norm 0.1 for standard), W_enc = W_decᵀ, biases 0 (Gao et al. 2024's tied init).</summary>
    public static SparseAutoencoder Create(SaeConfig config, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var p = new SaeParams<float>(config);
        var rng = new Rng(seed);
        int m = config.DSae, o = config.DOut, d = config.DIn;
        double rowNorm = config.Architecture.UnitNormDecoder ? 1.0 : 0.1;
        var wdec = p.WDec;
        for (int i = 0; i < m; i++)
        {
            var row = wdec.AsSpan(i * o, o);
            double ss = 0;
            for (int j = 0; j < o; j++) { row[j] = (float)rng.NextGaussian(); ss += row[j] * (double)row[j]; }
            float scale = (float)(rowNorm / Math.Sqrt(ss));
            for (int j = 0; j < o; j++) row[j] *= scale;
        }
        var wenc = p.WEnc;
        if (d == o)
            for (int j = 0; j < d; j++) for (int i = 0; i < m; i++) wenc[j * m + i] = wdec[i * o + j];
        else
            // A transcoder's input and output spaces differ, so no transposed copy: columns of norm rowNorm.
            for (int i = 0; i < m; i++)
            {
                double ss = 0;
                var col = new float[d];
                for (int j = 0; j < d; j++) { col[j] = (float)rng.NextGaussian(); ss += col[j] * (double)col[j]; }
                for (int j = 0; j < d; j++) wenc[j * m + i] = (float)(col[j] * rowNorm / Math.Sqrt(ss));
            }
        foreach (var name in config.Architecture.ExtraParameters)
            Array.Fill(p[name], (float)config.Architecture.InitialValue(name, config));
        return new SparseAutoencoder(config, p);
    }

    internal SaeStep<float> NewStep() => new(Config, Params) { BatchThreshold = BatchThreshold };

    /// <summary>The latent codes f of a batch x [n, d_in] → [n, d_sae] (inference rule: BatchTopK uses its threshold).</summary>
    public Tensor Encode(Tensor x) => Run(x, decode: false);

    /// <summary>The reconstruction x̂ [n, d_out] of a batch x [n, d_in] (torch's <c>sae(x)</c>).</summary>
    public Tensor Forward(Tensor x) => Run(x, decode: true);

    /// <summary>x̂ = f·W_dec + b_dec for codes f [n, d_sae].</summary>
    public Tensor Decode(Tensor codes)
    {
        int n = CheckBatch(codes, Config.DSae, nameof(codes));
        var step = NewStep();
        step.SetBatch(new float[n * Config.DIn], default, n);
        step.Codes.ResetDense(n, Config.DSae, clear: false);
        codes.Contiguous().AsReadOnlySpan().CopyTo(step.Codes.Dense);
        var output = new float[n * Config.DOut];
        step.Decode(step.Codes, bias: true, output);
        return Tensor.FromArray(output, n, Config.DOut);
    }

    private Tensor Run(Tensor x, bool decode)
    {
        int n = CheckBatch(x, Config.DIn, nameof(x));
        int width = decode ? Config.DOut : Config.DSae;
        var output = new float[n * width];
        var src = x.Contiguous().AsReadOnlySpan();
        var step = NewStep();
        const int chunk = 4096;
        for (int r0 = 0; r0 < n; r0 += chunk)
        {
            int rows = Math.Min(chunk, n - r0);
            step.SetBatch(src.Slice(r0 * Config.DIn, rows * Config.DIn), default, rows);
            Config.Architecture.Encode(step);
            if (decode)
            {
                step.Decode(step.Codes, bias: true, step.XHat);
                step.XHat.AsSpan(0, rows * width).CopyTo(output.AsSpan(r0 * width));
            }
            else step.Codes.ToDense(output.AsSpan(r0 * width, rows * width));
        }
        return Tensor.FromArray(output, n, width);
    }

    private static int CheckBatch(Tensor t, int width, string name)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (t.Rank != 2 || t.Size(1) != width)
            throw new ArgumentException($"{name} must be [n, {width}]; got {Shapes.Format(t.Shape)}.", name);
        return t.Size(0);
    }

    /// <inheritdoc/>
    public override string ToString() => Config.ToString();
}
