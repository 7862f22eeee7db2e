namespace Nonlinear.Optim;

/// <summary>
/// Line search along a direction d satisfying the strong Wolfe conditions
/// f(t) ≤ f(0) + c1·t·f'(0) and |f'(t)| ≤ −c2·f'(0) (Nocedal and Wright 2006, Algorithms 3.5 and 3.6): a bracketing
/// phase that grows t by cubic interpolation, then a zoom phase that shrinks the bracket. The control flow follows
/// torch.optim.lbfgs._strong_wolfe (1.13) step for step, so iterates agree with PyTorch up to rounding.
/// </summary>
internal static class StrongWolfe
{
    /// <summary>Evaluates the loss and flat gradient at x0 + t·d (and restores x0 afterwards).</summary>
    internal delegate double DirectionalObjective(double t, double[] gradient);

    /// <summary>Result: the accepted step, its loss and gradient (copied into the caller's buffer) and the evaluation count.</summary>
    internal readonly record struct Result(double Step, double Loss, int Evaluations);

    /// <summary>
    /// Minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to <paramref name="lo"/>..<paramref name="hi"/>;
    /// the midpoint of the bounds when the cubic has no real minimiser (as torch's _cubic_interpolate).
    /// </summary>
    internal static double CubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double lo, double hi)
    {
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0)
        {
            double d2 = Math.Sqrt(d2Square);
            double minPos = x1 <= x2
                ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            // NaN (0/0 on a flat segment) must not escape: Math.Min/Max would propagate it.
            if (double.IsNaN(minPos)) return (lo + hi) / 2;
            return Math.Min(Math.Max(minPos, lo), hi);
        }
        return (lo + hi) / 2;
    }

    private static double CubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2)
        => CubicInterpolate(x1, f1, g1, x2, f2, g2, Math.Min(x1, x2), Math.Max(x1, x2));

    /// <summary>
    /// Searches t along <paramref name="d"/> from loss <paramref name="f"/> with gradient <paramref name="g"/> and
    /// slope <paramref name="gtd"/> = gᵀd &lt; 0. On return <paramref name="g"/> holds the gradient at the accepted step.
    /// </summary>
    internal static Result Search(DirectionalObjective objective, double t, double[] d, double f, double[] g, double gtd,
        double c1 = 1e-4, double c2 = 0.9, double toleranceChange = 1e-9, int maxLineSearch = 25)
    {
        int n = d.Length;
        double dNorm = 0;
        foreach (double v in d) dNorm = Math.Max(dNorm, Math.Abs(v));

        var gNew = new double[n];
        double fNew = objective(t, gNew);
        int evals = 1;
        double gtdNew = Dot(gNew, d);

        double tPrev = 0, fPrev = f, gtdPrev = gtd;
        var gPrev = (double[])g.Clone();
        bool done = false;
        int lsIter = 0;
        // Bracket as two slots; torch keeps Python lists of length 1 or 2. A one-slot bracket means "done at t".
        double[] bt = new double[2], bf = new double[2], bgtd = new double[2];
        double[][] bg = [new double[n], new double[n]];
        int count = 0;

        while (lsIter < maxLineSearch)
        {
            if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev))
            {
                SetPair(tPrev, fPrev, gPrev, gtdPrev, t, fNew, gNew, gtdNew);
                break;
            }
            if (Math.Abs(gtdNew) <= -c2 * gtd)
            {
                bt[0] = t; bf[0] = fNew; Array.Copy(gNew, bg[0], n); bgtd[0] = gtdNew; count = 1;
                done = true;
                break;
            }
            if (gtdNew >= 0)
            {
                SetPair(tPrev, fPrev, gPrev, gtdPrev, t, fNew, gNew, gtdNew);
                break;
            }
            double minStep = t + 0.01 * (t - tPrev);
            double maxStep = t * 10;
            double tmp = t;
            t = CubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            tPrev = tmp; fPrev = fNew; Array.Copy(gNew, gPrev, n); gtdPrev = gtdNew;
            fNew = objective(t, gNew);
            evals++;
            gtdNew = Dot(gNew, d);
            lsIter++;
        }
        if (lsIter == maxLineSearch)
        {
            // torch leaves bracket_gtd stale here; the zoom loop below cannot run (lsIter == max) so it is never read.
            SetPair(0, f, g, gtd, t, fNew, gNew, gtdNew);
        }

        bool insufficientProgress = false;
        int low = bf[0] <= bf[count - 1] ? 0 : 1, high = 1 - low;
        while (!done && lsIter < maxLineSearch)
        {
            if (Math.Abs(bt[1] - bt[0]) * dNorm < toleranceChange) break;
            t = CubicInterpolate(bt[0], bf[0], bgtd[0], bt[1], bf[1], bgtd[1]);
            double bMax = Math.Max(bt[0], bt[1]), bMin = Math.Min(bt[0], bt[1]);
            double eps = 0.1 * (bMax - bMin);
            if (Math.Min(bMax - t, t - bMin) < eps)
            {
                // Interpolation landed near an end of the bracket: move 10 % inside unless the last try was fine.
                if (insufficientProgress || t >= bMax || t <= bMin)
                {
                    t = Math.Abs(t - bMax) < Math.Abs(t - bMin) ? bMax - eps : bMin + eps;
                    insufficientProgress = false;
                }
                else insufficientProgress = true;
            }
            else insufficientProgress = false;

            fNew = objective(t, gNew);
            evals++;
            gtdNew = Dot(gNew, d);
            lsIter++;

            if (fNew > f + c1 * t * gtd || fNew >= bf[low])
            {
                Set(high, t, fNew, gNew, gtdNew);
                low = bf[0] <= bf[1] ? 0 : 1; high = 1 - low;
            }
            else
            {
                if (Math.Abs(gtdNew) <= -c2 * gtd) done = true;
                else if (gtdNew * (bt[high] - bt[low]) >= 0)
                    Set(high, bt[low], bf[low], bg[low], bgtd[low]);
                Set(low, t, fNew, gNew, gtdNew);
            }
        }
        Array.Copy(bg[low], g, n);
        return new Result(bt[low], bf[low], evals);

        void Set(int slot, double ti, double fi, double[] gi, double gtdi)
        {
            bt[slot] = ti; bf[slot] = fi; bgtd[slot] = gtdi;
            if (!ReferenceEquals(gi, bg[slot])) Array.Copy(gi, bg[slot], n);
        }

        void SetPair(double t0, double f0, double[] g0, double gtd0, double t1, double f1, double[] g1, double gtd1)
        {
            Set(0, t0, f0, g0, gtd0);
            Set(1, t1, f1, g1, gtd1);
            count = 2;
        }
    }

    internal static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
