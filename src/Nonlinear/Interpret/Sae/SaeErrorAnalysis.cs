using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Interpret.Sae;

/// <summary>How much of an SAE's reconstruction error a linear map of its input predicts ("dark matter").</summary>
/// <param name="FitSamples">Samples the ridge map was fitted on (the first 80 %).</param>
/// <param name="TestSamples">Held-out samples the shares are measured on (the last 20 %).</param>
/// <param name="VarianceShare">1 − Σ‖e − ê‖² / Σ‖e − ē‖² on the held-out samples: the error variance the map predicts.</param>
/// <param name="NormShare">Σ‖ê‖² / Σ‖e‖² on the held-out samples: the share of the error's squared norm the prediction carries.</param>
/// <param name="InSampleVarianceShare">The variance share on the fitting samples.</param>
public sealed record SaeErrorShare(int FitSamples, int TestSamples, double VarianceShare, double NormShare, double InSampleVarianceShare);

/// <summary>
/// SAE error analysis after Engels et al. 2024, "Decomposing the dark matter of sparse autoencoders"
/// (https://arxiv.org/abs/2410.14670): the error e = y − x̂ is regressed on [x, 1] by ridge least squares
/// (A = (XᵀX + αI)⁻¹XᵀE in double, the bias not penalised), fitted on 80 % of the samples and scored on the rest.
/// </summary>
public static class SaeErrorAnalysis
{
    /// <summary>Analyses the SAE's error on inputs x (targets y, x for an SAE) with ridge penalty <paramref name="ridge"/> (scaled by n).</summary>
    public static SaeErrorShare Analyze(SparseAutoencoder sae, Tensor x, Tensor? y = null, double ridge = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(sae);
        ArgumentNullException.ThrowIfNull(x);
        if (!(ridge >= 0)) throw new InvalidInputException($"ridge must be ≥ 0; got {ridge}.");
        y ??= x;
        int n = x.Size(0), d = x.Size(1), o = sae.Config.DOut;
        if (n < 10) throw new InvalidInputException($"error analysis needs ≥ 10 samples; got {n}.");
        var xs2 = x.Contiguous().AsReadOnlySpan().ToArray();
        ReadOnlySpan<float> xs = xs2;
        var ys = y.Contiguous().AsReadOnlySpan();
        var xh = sae.Forward(x).AsReadOnlySpan();
        var e = new double[n * o];
        for (int i = 0; i < n * o; i++) e[i] = ys[i] - xh[i];
        int fit = n * 4 / 5, p = d + 1;
        // Normal equations over [x, 1].
        var a = new double[p * p];
        var b = new double[p * o];
        for (int r = 0; r < fit; r++)
        {
            for (int i = 0; i < p; i++)
            {
                double xi = i < d ? xs[r * d + i] : 1;
                for (int j = 0; j <= i; j++) a[i * p + j] += xi * (j < d ? xs[r * d + j] : 1);
                for (int k = 0; k < o; k++) b[i * o + k] += xi * e[r * o + k];
            }
        }
        for (int i = 0; i < p; i++) for (int j = 0; j < i; j++) a[j * p + i] = a[i * p + j];
        for (int i = 0; i < d; i++) a[i * p + i] += ridge * fit;
        // A constant input column without ridge makes the system semi-definite: jitter, not NaN.
        Cholesky.Factor(a, p, CholeskyPivot.Jitter);
        Cholesky.Solve(a, p, b, o);
        var coef = b;
        var held = Score(fit, n);
        return new SaeErrorShare(fit, n - fit, held.Variance, held.Norm, Score(0, fit).Variance);

        (double Variance, double Norm) Score(int lo, int hi)
        {
            var mean = new double[o];
            for (int r = lo; r < hi; r++) for (int k = 0; k < o; k++) mean[k] += e[r * o + k];
            for (int k = 0; k < o; k++) mean[k] /= hi - lo;
            double res = 0, tot = 0, pred = 0, norm = 0;
            for (int r = lo; r < hi; r++)
                for (int k = 0; k < o; k++)
                {
                    double eh = coef[d * o + k];
                    for (int i = 0; i < d; i++) eh += xs2[r * d + i] * coef[i * o + k];
                    double ev = e[r * o + k];
                    res += (ev - eh) * (ev - eh);
                    tot += (ev - mean[k]) * (ev - mean[k]);
                    pred += eh * eh;
                    norm += ev * ev;
                }
            return (tot > 0 ? 1 - res / tot : double.NaN, norm > 0 ? pred / norm : double.NaN);
        }
    }
}
