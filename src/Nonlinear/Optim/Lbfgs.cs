using Nonlinear.Tensors;

namespace Nonlinear.Optim;

/// <summary>Settings of <see cref="Lbfgs"/>, named and defaulted as torch.optim.LBFGS (1.13).</summary>
/// <param name="LearningRate">lr: the initial trial step (the first iteration ever uses min(1, 1/‖g‖₁)·lr).</param>
/// <param name="MaxIterations">max_iter: quasi-Newton iterations per <see cref="Lbfgs.Step"/>.</param>
/// <param name="MaxEvaluations">max_eval: loss evaluations per step; null means MaxIterations·5/4 as torch.</param>
/// <param name="ToleranceGrad">tolerance_grad: stop when max|g| ≤ this.</param>
/// <param name="ToleranceChange">tolerance_change: stop when the step or the loss change is below this.</param>
/// <param name="HistorySize">history_size: curvature pairs kept (torch's default is 100; pykan passes 10).</param>
/// <param name="StrongWolfe">line_search_fn="strong_wolfe" when true; a fixed step t = lr otherwise.</param>
public sealed record LbfgsOptions(
    double LearningRate = 1, int MaxIterations = 20, int? MaxEvaluations = null, double ToleranceGrad = 1e-7,
    double ToleranceChange = 1e-9, int HistorySize = 100, bool StrongWolfe = true);

/// <summary>
/// Limited-memory BFGS (torch.optim.LBFGS with one parameter group): the two-loop recursion over the last m pairs
/// (s, y) with H₀ = (sᵀy/yᵀy)·I, pairs with sᵀy ≤ 1e-10 dropped, and an optional strong-Wolfe line search.
/// Works for any set of leaf tensors: <see cref="Step"/> takes a closure that zeroes the gradients, recomputes the
/// loss, calls Backward and returns the loss. Directions, history and the line-search arithmetic are kept in double
/// (torch keeps them in the parameters' dtype); parameters stay float32. Liu and Nocedal 1989,
/// https://doi.org/10.1007/BF01589116. Not an <see cref="Optimizer"/>: its update needs the closure, not one gradient.
/// </summary>
public sealed class Lbfgs
{
    private readonly Tensor[] _parameters;
    private readonly int _n;
    private readonly List<double[]> _oldDirs = [], _oldSteps = [];
    private readonly List<double> _rho = [];
    private double[]? _d, _prevGrad;
    private double _t, _hDiag = 1;

    /// <summary>Creates the optimizer over <paramref name="parameters"/> (contiguous leaves).</summary>
    /// <exception cref="ArgumentException">No parameters, a non-leaf or non-contiguous one, or an invalid option.</exception>
    public Lbfgs(IEnumerable<Tensor> parameters, LbfgsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0) throw new ArgumentException("parameters is empty; LBFGS needs at least one tensor.", nameof(parameters));
        for (int i = 0; i < _parameters.Length; i++)
            if (_parameters[i] is not { IsLeaf: true, IsContiguous: true })
                throw new ArgumentException($"parameters[{i}] must be a contiguous leaf tensor; got {_parameters[i]}.", nameof(parameters));
        Options = options ?? new LbfgsOptions();
        if (!(Options.LearningRate > 0) || !double.IsFinite(Options.LearningRate))
            throw new ArgumentException($"LearningRate must be finite and > 0; got {Options.LearningRate}.", nameof(options));
        if (Options.MaxIterations < 1) throw new ArgumentException($"MaxIterations must be ≥ 1; got {Options.MaxIterations}.", nameof(options));
        if (Options.HistorySize < 1) throw new ArgumentException($"HistorySize must be ≥ 1; got {Options.HistorySize}.", nameof(options));
        if (Options.MaxEvaluations is < 1) throw new ArgumentException($"MaxEvaluations must be ≥ 1; got {Options.MaxEvaluations}.", nameof(options));
        _n = _parameters.Sum(p => p.Length);
    }

    /// <summary>The settings.</summary>
    public LbfgsOptions Options { get; }

    /// <summary>Quasi-Newton iterations done so far over all steps (state['n_iter']).</summary>
    public int Iterations { get; private set; }

    /// <summary>Loss evaluations done so far over all steps (state['func_evals']).</summary>
    public int Evaluations { get; private set; }

    /// <summary>
    /// Runs up to MaxIterations iterations. <paramref name="closure"/> must zero the gradients, evaluate the loss,
    /// back-propagate and return the loss. Returns the loss of the first evaluation (as torch does).
    /// </summary>
    public double Step(Func<double> closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        var o = Options;
        int maxEval = o.MaxEvaluations ?? o.MaxIterations * 5 / 4;
        double origLoss = closure();
        double loss = origLoss;
        int currentEvals = 1;
        Evaluations++;
        var g = new double[_n];
        GatherGrad(g);
        if (MaxAbs(g) <= o.ToleranceGrad) return origLoss;

        int nIter = 0;
        while (nIter < o.MaxIterations)
        {
            nIter++;
            Iterations++;
            if (Iterations == 1)
            {
                _d = new double[_n];
                for (int i = 0; i < _n; i++) _d[i] = -g[i];
                _hDiag = 1;
            }
            else UpdateDirection(g);
            var d = _d!;

            _prevGrad ??= new double[_n];
            Array.Copy(g, _prevGrad, _n);
            double prevLoss = loss;
            _t = Iterations == 1 ? Math.Min(1.0, 1.0 / SumAbs(g)) * o.LearningRate : o.LearningRate;
            double gtd = StrongWolfe.Dot(g, d);
            if (gtd > -o.ToleranceChange) break;

            int lsEvals;
            if (o.StrongWolfe)
            {
                var x0 = CloneParams();
                var r = Optim.StrongWolfe.Search((t, grad) => Directional(closure, x0, t, d, grad), _t, d, loss, g, gtd,
                    toleranceChange: o.ToleranceChange);
                loss = r.Loss; _t = r.Step; lsEvals = r.Evaluations;
                AddStep(_t, d);
            }
            else
            {
                AddStep(_t, d);
                lsEvals = 0;
                if (nIter != o.MaxIterations)
                {
                    loss = closure();
                    GatherGrad(g);
                    lsEvals = 1;
                }
            }
            currentEvals += lsEvals;
            Evaluations += lsEvals;

            if (nIter == o.MaxIterations || currentEvals >= maxEval) break;
            if (MaxAbs(g) <= o.ToleranceGrad) break;
            if (MaxAbs(d) * Math.Abs(_t) <= o.ToleranceChange) break;
            if (Math.Abs(loss - prevLoss) < o.ToleranceChange) break;
        }
        return origLoss;
    }

    /// <summary>Adds the pair (s = t·d, y = g − g_prev) when sᵀy &gt; 1e-10, then d = −H·g by the two-loop recursion.</summary>
    private void UpdateDirection(double[] g)
    {
        var d = _d!;
        var y = new double[_n];
        var s = new double[_n];
        for (int i = 0; i < _n; i++) { y[i] = g[i] - _prevGrad![i]; s[i] = d[i] * _t; }
        double ys = StrongWolfe.Dot(y, s);
        if (ys > 1e-10)
        {
            if (_oldDirs.Count == Options.HistorySize) { _oldDirs.RemoveAt(0); _oldSteps.RemoveAt(0); _rho.RemoveAt(0); }
            _oldDirs.Add(y); _oldSteps.Add(s); _rho.Add(1.0 / ys);
            _hDiag = ys / StrongWolfe.Dot(y, y);
        }
        int m = _oldDirs.Count;
        var al = new double[m];
        for (int i = 0; i < _n; i++) d[i] = -g[i];
        for (int k = m - 1; k >= 0; k--)
        {
            al[k] = StrongWolfe.Dot(_oldSteps[k], d) * _rho[k];
            Axpy(-al[k], _oldDirs[k], d);
        }
        for (int i = 0; i < _n; i++) d[i] *= _hDiag;
        for (int k = 0; k < m; k++)
        {
            double be = StrongWolfe.Dot(_oldDirs[k], d) * _rho[k];
            Axpy(al[k] - be, _oldSteps[k], d);
        }
    }

    private double Directional(Func<double> closure, float[][] x0, double t, double[] d, double[] grad)
    {
        AddStep(t, d);
        double loss = closure();
        GatherGrad(grad);
        for (int p = 0; p < _parameters.Length; p++) x0[p].CopyTo(_parameters[p].AsSpan());
        return loss;
    }

    private float[][] CloneParams() => _parameters.Select(p => p.AsSpan().ToArray()).ToArray();

    /// <summary>x ← x + t·d in float32 (torch's _add_grad).</summary>
    private void AddStep(double t, double[] d)
    {
        int k = 0;
        foreach (var p in _parameters)
        {
            var span = p.AsSpan();
            for (int i = 0; i < span.Length; i++) span[i] = (float)(span[i] + t * d[k++]);
        }
    }

    /// <summary>Flattens the gradients into <paramref name="g"/>; a parameter without gradient contributes zeros.</summary>
    private void GatherGrad(double[] g)
    {
        int k = 0;
        foreach (var p in _parameters)
        {
            if (p.Grad is null) { Array.Clear(g, k, p.Length); k += p.Length; continue; }
            var gs = p.Grad.Contiguous().AsReadOnlySpan();
            if (gs.Length != p.Length)
                throw new InvalidOperationException($"a gradient has {gs.Length} elements; its parameter {p} has {p.Length}.");
            for (int i = 0; i < gs.Length; i++) g[k++] = gs[i];
        }
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (int i = 0; i < y.Length; i++) y[i] += a * x[i];
    }

    private static double MaxAbs(double[] v)
    {
        double m = 0;
        foreach (double x in v) m = Math.Max(m, Math.Abs(x));
        return m;
    }

    private static double SumAbs(double[] v)
    {
        double s = 0;
        foreach (double x in v) s += Math.Abs(x);
        return s;
    }
}
