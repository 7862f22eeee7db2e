using System.Numerics;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// One forward (and optionally backward) pass of an SAE over a batch: the inputs, the parameters, the buffers
/// reused from step to step, and the shared pieces every architecture composes (centering, pre-activations,
/// decoding, squared error, and the decoder/encoder gradients, dense or over active latents only).
/// </summary>
/// <remarks>
/// Conventions (SAELens): pre = (x − b_dec)·W_enc + b_enc, x̂ = f·W_dec + b_dec, the reconstruction loss is
/// mean over the batch of Σ_d (x̂ − y)², y = x for an SAE and the block's output for a transcoder.
/// </remarks>
internal sealed class SaeStep<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public SaeStep(SaeConfig cfg, SaeParams<T> parameters)
    {
        Cfg = cfg;
        P = parameters;
    }

    public SaeConfig Cfg { get; }
    public SaeParams<T> P { get; }
    /// <summary>Gradients to accumulate into (cleared by the caller), or null for a forward pass only.</summary>
    public SaeParams<T>? G { get; set; }

    public int N { get; private set; }
    public T[] X = [], Y = [], Xc = [], Pre = [], XHat = [], DXHat = [];
    public readonly SaeCodes<T> Codes = new(), DPre = new(), AuxCodes = new(), AuxDPre = new();
    /// <summary>Buffers an architecture may use for its own terms (AuxK residuals, gate pre-activations).</summary>
    public T[] AuxTarget = [], AuxOut = [], AuxGrad = [], Gate = [], Mag = [];

    /// <summary>Multiplier of the sparsity coefficient (λ warm-up).</summary>
    public double SparsityScale { get; set; } = 1;
    /// <summary>Latents counted as dead (AuxK), or null.</summary>
    public bool[]? Dead { get; set; }
    /// <summary>BatchTopK: the inference threshold θ (kept as a running mean while training).</summary>
    public double BatchThreshold { get; set; }
    /// <summary>Dense code matrices at or below this fraction of non-zeros go sparse (CSR).</summary>
    public double SparseBelow { get; set; } = 0.08;
    /// <summary>Tests: force the dense (false) or sparse (true) path for ReLU-like codes.</summary>
    public bool? ForceSparse { get; set; }

    /// <summary>
    /// Tests: values that stand in for the terms the losses detach (AuxK's residual target, Gated's auxiliary
    /// decoder), so a finite difference of the loss differentiates exactly what the hand-written backward does.
    /// </summary>
    public T[]? FrozenResidual { get; set; }
    public (T[] W, T[] B)? FrozenDecoder { get; set; }

    public double Recon, Sparsity, Aux;
    public double Loss => Recon + Sparsity + Aux;

    internal int[] _cscStart = [], _cscRow = [], _cscEntry = [];

    /// <summary>Takes a batch: x is [n, d_in], y (null for an SAE) is [n, d_out].</summary>
    public void SetBatch(ReadOnlySpan<T> x, ReadOnlySpan<T> y, int n)
    {
        N = n;
        Grow(ref X, n * Cfg.DIn); Grow(ref Xc, n * Cfg.DIn);
        Grow(ref Y, n * Cfg.DOut); Grow(ref XHat, n * Cfg.DOut); Grow(ref DXHat, n * Cfg.DOut);
        Grow(ref Pre, n * Cfg.DSae);
        x[..(n * Cfg.DIn)].CopyTo(X);
        if (!y.IsEmpty) y[..(n * Cfg.DOut)].CopyTo(Y);
        else if (Cfg.DIn == Cfg.DOut) x[..(n * Cfg.DIn)].CopyTo(Y);
        Recon = Sparsity = Aux = 0;
        var xc = Xc.AsSpan(0, n * Cfg.DIn);
        X.AsSpan(0, n * Cfg.DIn).CopyTo(xc);
        if (Cfg.ApplyBDecToInput)
            for (int r = 0; r < n; r++) SaeLinalg.Axpy(-T.One, P.BDec, xc.Slice(r * Cfg.DIn, Cfg.DIn));
    }

    /// <summary>Sizes the architecture's [N, d_out] (AuxK, Matryoshka, Gated) or [N, d_sae] (Gated) buffers.</summary>
    public void EnsureAuxBuffers(bool latentWide)
    {
        Grow(ref AuxTarget, N * Cfg.DOut); Grow(ref AuxOut, N * Cfg.DOut); Grow(ref AuxGrad, N * Cfg.DOut);
        if (latentWide) { Grow(ref Gate, N * Cfg.DSae); Grow(ref Mag, N * Cfg.DSae); }
    }

    internal static void Grow(ref T[] a, int length) { if (a.Length < length) a = new T[length]; }

    /// <summary>pre = Xc·w + b, [N, d_sae].</summary>
    public void PreActs(T[] w, T[]? b, T[] pre)
    {
        int n = N, d = Cfg.DIn, m = Cfg.DSae;
        SaeLinalg.Mm(false, false, n, m, d, T.One, Xc, d, w, m, T.Zero, pre, m);
        if (b is not null) SaeLinalg.ParallelRanges(n, (lo, hi) => { for (int r = lo; r < hi; r++) SaeLinalg.Axpy(T.One, b, pre.AsSpan(r * m, m)); });
    }

    /// <summary>Converts dense codes to CSR when few are active (or as forced), so later steps skip inactive latents.</summary>
    public void MaybeSparsify(SaeCodes<T> c)
    {
        if (c.IsSparse || ForceSparse == false) return;
        if (ForceSparse == true) { c.FromDense(c.Dense, c.Rows, c.Cols); return; }
        long nnz = 0;
        var d = c.Dense.AsSpan(0, c.Rows * c.Cols);
        foreach (var v in d) if (v != T.Zero) nnz++;
        if (nnz <= SparseBelow * d.Length) c.FromDense(d, c.Rows, c.Cols);
    }

    /// <summary>Non-zeros per row of the last codes an architecture wrote in one fused pass (see <see cref="MaybeSparsify(SaeCodes{T}, int[])"/>).</summary>
    public int[] RowCounts = [];

    /// <summary>Sizes <see cref="RowCounts"/> for the current batch.</summary>
    public int[] EnsureRowCounts()
    {
        if (RowCounts.Length < N) RowCounts = new int[N];
        return RowCounts;
    }

    /// <summary>Σ of the first N <see cref="RowCounts"/>.</summary>
    public long CountedNonZeros()
    {
        long nnz = 0;
        for (int r = 0; r < N; r++) nnz += RowCounts[r];
        return nnz;
    }

    /// <summary>
    /// <see cref="MaybeSparsify(SaeCodes{T})"/> for dense codes whose non-zeros per row the pass that wrote them
    /// counted into <paramref name="rowCounts"/>: no extra pass to count, and the CSR rows fill in parallel.
    /// </summary>
    public void MaybeSparsify(SaeCodes<T> c, int[] rowCounts)
    {
        if (c.IsSparse || ForceSparse == false) return;
        if (ForceSparse == true || CountedNonZeros() <= SparseBelow * ((long)c.Rows * c.Cols))
            c.FromDense(c.Dense, c.Rows, c.Cols, rowCounts);
    }

    /// <summary>out = codes·W_dec (+ b_dec), [N, d_out].</summary>
    public void Decode(SaeCodes<T> c, bool bias, T[] output, (T[] W, T[] B)? decoder = null)
    {
        int n = N, m = Cfg.DSae, o = Cfg.DOut;
        var wdec = decoder?.W ?? P.WDec;
        var bdec = decoder?.B ?? P.BDec;
        if (!c.IsSparse)
        {
            SaeLinalg.Mm(false, false, n, o, m, T.One, c.Dense, m, wdec, o, T.Zero, output, o);
            if (bias) SaeLinalg.ParallelRanges(n, (lo, hi) => { for (int r = lo; r < hi; r++) SaeLinalg.Axpy(T.One, bdec, output.AsSpan(r * o, o)); });
            return;
        }
        SaeLinalg.ParallelRanges(n, (lo, hi) =>
        {
            for (int r = lo; r < hi; r++)
            {
                var row = output.AsSpan(r * o, o);
                if (bias) bdec.CopyTo(row); else row.Clear();
                for (int e = c.RowStart[r]; e < c.RowStart[r + 1]; e++)
                    SaeLinalg.Axpy(c.Val[e], wdec.AsSpan(c.Col[e] * o, o), row);
            }
        });
    }

    /// <summary>coef · mean_n Σ_d (pred − target)²; with <paramref name="grad"/>, writes its gradient w.r.t. pred.</summary>
    public double SquaredError(T[] pred, T[] target, T[]? grad, double coef)
    {
        int n = N, o = Cfg.DOut;
        var partial = new double[n];
        T g = T.CreateTruncating(2 * coef / n);
        SaeLinalg.ParallelRanges(n, (lo, hi) =>
        {
            for (int r = lo; r < hi; r++)
            {
                double s = 0;
                for (int j = r * o; j < (r + 1) * o; j++)
                {
                    T diff = pred[j] - target[j];
                    s += double.CreateTruncating(diff * diff);
                    if (grad is not null) grad[j] = g * diff;
                }
                partial[r] = s;
            }
        });
        double total = 0;
        foreach (var s in partial) total += s;
        return coef * total / n;
    }

    /// <summary>dcodes = dx·W_decᵀ, at the entries of <paramref name="pattern"/> (all entries when it is dense).</summary>
    public void CodeGrad(SaeCodes<T> pattern, T[] dx, SaeCodes<T> output)
    {
        int n = N, m = Cfg.DSae, o = Cfg.DOut;
        var wdec = P.WDec;
        if (!pattern.IsSparse)
        {
            output.ResetDense(n, m, clear: false);
            SaeLinalg.Mm(false, true, n, m, o, T.One, dx, o, wdec, o, T.Zero, output.Dense, m);
            return;
        }
        output.ResetLike(pattern);
        SaeLinalg.ParallelRanges(n, (lo, hi) =>
        {
            for (int r = lo; r < hi; r++)
                for (int e = output.RowStart[r]; e < output.RowStart[r + 1]; e++)
                    output.Val[e] = SaeLinalg.Dot<T>(dx.AsSpan(r * o, o), wdec.AsSpan(output.Col[e] * o, o));
        });
    }

    /// <summary>gW_dec += codesᵀ·dx (latent rows of W_dec touched only where a code is non-zero).</summary>
    public void DecoderGrad(SaeCodes<T> c, T[] dx, T[] gWdec)
    {
        int n = N, m = Cfg.DSae, o = Cfg.DOut;
        if (!c.IsSparse)
        {
            SaeLinalg.Mm(true, false, m, o, n, T.One, c.Dense, m, dx, o, T.One, gWdec, o);
            return;
        }
        BuildColumns(c);
        SaeLinalg.ParallelRanges(m, (lo, hi) =>
        {
            for (int i = lo; i < hi; i++)
            {
                var row = gWdec.AsSpan(i * o, o);
                for (int p = _cscStart[i]; p < _cscStart[i + 1]; p++)
                    SaeLinalg.Axpy(c.Val[_cscEntry[p]], dx.AsSpan(_cscRow[p] * o, o), row);
            }
        });
    }

    /// <summary>
    /// The encoder's gradients from dpre = ∂L/∂pre: gW += Xcᵀ·dpre, gb += Σ_n dpre_n, and, when b_dec is
    /// subtracted from the input, g_b_dec −= W·Σ_n dpre_n (pre depends on b_dec through x − b_dec).
    /// </summary>
    /// <param name="dpre">∂L/∂pre, dense or CSR.</param>
    /// <param name="w">The encoder weight [d_in, d_sae].</param>
    /// <param name="gW">Its gradient, accumulated into.</param>
    /// <param name="gb">The encoder bias's gradient, accumulated into (null: none).</param>
    /// <param name="denseColumnSums">Σ_n dpre_n when the caller already summed a dense dpre in the pass that wrote it.</param>
    public void EncoderGrad(SaeCodes<T> dpre, T[] w, T[] gW, T[]? gb, T[]? denseColumnSums = null)
    {
        int n = N, d = Cfg.DIn, m = Cfg.DSae;
        var colSum = new T[m];
        if (!dpre.IsSparse)
        {
            SaeLinalg.Mm(true, false, d, m, n, T.One, Xc, d, dpre.Dense, m, T.One, gW, m);
            if (denseColumnSums is not null) denseColumnSums.AsSpan(0, m).CopyTo(colSum);
            else SaeLinalg.RowChunksWithColumnSums<T>(n, m, colSum, (lo, hi, partial) =>
            {
                for (int r = lo; r < hi; r++) SaeLinalg.Axpy(T.One, dpre.Dense.AsSpan(r * m, m), partial);
            });
        }
        else
        {
            BuildColumns(dpre);
            SaeLinalg.ParallelRanges(m, (lo, hi) =>
            {
                var acc = new T[d];
                for (int i = lo; i < hi; i++)
                {
                    Array.Clear(acc);
                    T s = T.Zero;
                    for (int p = _cscStart[i]; p < _cscStart[i + 1]; p++)
                    {
                        T v = dpre.Val[_cscEntry[p]];
                        s += v;
                        SaeLinalg.Axpy<T>(v, Xc.AsSpan(_cscRow[p] * d, d), acc);
                    }
                    colSum[i] = s;
                    if (_cscStart[i + 1] == _cscStart[i]) continue;
                    for (int j = 0; j < d; j++) gW[j * m + i] += acc[j];
                }
            });
        }
        if (gb is not null) SaeLinalg.Axpy<T>(T.One, colSum, gb);
        if (Cfg.ApplyBDecToInput && G is not null)
        {
            var gbdec = G.BDec;
            for (int j = 0; j < d; j++) gbdec[j] -= SaeLinalg.Dot<T>(w.AsSpan(j * m, m), colSum);
        }
    }

    // CSC view (entries grouped by latent, rows ascending) of a CSR matrix, so per-latent sums need no locks
    // and add in a fixed order whatever the thread count.
    internal void BuildColumns(SaeCodes<T> c)
    {
        int m = c.Cols, nnz = c.NonZeros;
        if (_cscStart.Length < m + 1) _cscStart = new int[m + 1];
        if (_cscRow.Length < nnz) { _cscRow = new int[nnz]; _cscEntry = new int[nnz]; }
        Array.Clear(_cscStart, 0, m + 1);
        for (int e = 0; e < nnz; e++) _cscStart[c.Col[e] + 1]++;
        for (int i = 0; i < m; i++) _cscStart[i + 1] += _cscStart[i];
        var next = new int[m];
        Array.Copy(_cscStart, next, m);
        for (int r = 0; r < c.Rows; r++)
            for (int e = c.RowStart[r]; e < c.RowStart[r + 1]; e++)
            {
                int p = next[c.Col[e]]++;
                _cscRow[p] = r;
                _cscEntry[p] = e;
            }
    }

    /// <summary>The reconstruction term: decodes <see cref="Codes"/> into <see cref="XHat"/>, sets <see cref="Recon"/> and, when training, <see cref="DXHat"/>.</summary>
    public void ReconstructAndLoss()
    {
        Decode(Codes, bias: true, XHat);
        Recon = SquaredError(XHat, Y, G is null ? null : DXHat, 1.0);
        if (G is not null)
        {
            DecoderGrad(Codes, DXHat, G.WDec);
            SaeLinalg.AddColumnSums<T>(DXHat, N, Cfg.DOut, T.One, G.BDec);
        }
    }
}
