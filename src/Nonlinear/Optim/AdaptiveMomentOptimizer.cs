using Nonlinear.Tensors;

namespace Nonlinear.Optim;

/// <summary>
/// Shared machinery of <see cref="Adam"/> and <see cref="AdamW"/> (torch 1.13 single-tensor form): per parameter a step
/// count t, m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², optionally v̂ = max(v̂, v) (AMSGrad), then
/// p ← p − (lr/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + ε). The two differ only in how weight decay enters.
/// </summary>
public abstract class AdaptiveMomentOptimizer : Optimizer
{
    private readonly long[] _steps;
    private readonly float[]?[] _m, _v, _vmax;

    /// <summary>Exponential decay rate β1 of the first moment.</summary>
    public double Beta1 { get; }
    /// <summary>Exponential decay rate β2 of the second moment.</summary>
    public double Beta2 { get; }
    /// <summary>ε added to the denominator.</summary>
    public double Eps { get; }
    /// <summary>Weight decay coefficient (meaning depends on the subclass).</summary>
    public double WeightDecay { get; }
    /// <summary>Whether the AMSGrad variant keeps the running maximum of v.</summary>
    public bool Amsgrad { get; }

    private protected AdaptiveMomentOptimizer(IEnumerable<Tensor> parameters, double lr, (double Beta1, double Beta2) betas, double eps, double weightDecay, bool amsgrad)
        : base(parameters, lr)
    {
        if (!(betas.Beta1 >= 0 && betas.Beta1 < 1)) throw new ArgumentException($"betas.Beta1 must be in [0, 1); got {betas.Beta1}.", nameof(betas));
        if (!(betas.Beta2 >= 0 && betas.Beta2 < 1)) throw new ArgumentException($"betas.Beta2 must be in [0, 1); got {betas.Beta2}.", nameof(betas));
        if (!(eps >= 0)) throw new ArgumentException($"eps must be ≥ 0; got {eps}.", nameof(eps));
        if (!(weightDecay >= 0)) throw new ArgumentException($"weightDecay must be ≥ 0; got {weightDecay}.", nameof(weightDecay));
        (Beta1, Beta2, Eps, WeightDecay, Amsgrad) = (betas.Beta1, betas.Beta2, eps, weightDecay, amsgrad);
        int n = Parameters.Count;
        _steps = new long[n];
        _m = new float[n][];
        _v = new float[n][];
        _vmax = new float[n][];
    }

    private protected abstract bool DecoupledDecay { get; }

    /// <summary>Number of updates applied to parameter <paramref name="index"/>.</summary>
    public long StepCount(int index) => _steps[index];

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        int len = parameter.Length;
        _m[index] ??= new float[len];
        _v[index] ??= new float[len];
        if (Amsgrad) _vmax[index] ??= new float[len];
        long t = ++_steps[index];
        // torch keeps t in a float32 tensor and evaluates the corrections in Python doubles.
        double bc1 = 1 - Math.Pow(Beta1, (float)t), bc2 = 1 - Math.Pow(Beta2, (float)t);
        var c = new AdamCoefs(
            Decay: DecoupledDecay ? (float)(1 - LearningRate * WeightDecay) : 1f,
            WeightDecay: DecoupledDecay ? 0f : (float)WeightDecay,
            Beta1: (float)Beta1, OneMinusBeta1: (float)(1 - Beta1), Beta2: (float)Beta2, OneMinusBeta2: (float)(1 - Beta2),
            Bc2Sqrt: (float)Math.Sqrt(bc2), Eps: (float)Eps, NegStepSize: (float)-(LearningRate / bc1), Amsgrad: Amsgrad);
        OptimKernels.Adam(parameter, gradient, _m[index], _v[index], Amsgrad ? _vmax[index] : Span<float>.Empty, c);
    }

    /// <inheritdoc/>
    protected override IEnumerable<string> StateKeys() =>
        Enumerable.Range(0, Parameters.Count).SelectMany(i => new[] { $"param.{i}.step", $"param.{i}.exp_avg", $"param.{i}.exp_avg_sq", $"param.{i}.max_exp_avg_sq" });

    /// <inheritdoc/>
    protected override void SaveState(OptimizerState state)
    {
        for (int i = 0; i < _steps.Length; i++)
        {
            if (_steps[i] == 0) continue;
            state.Scalars.Add($"param.{i}.step", _steps[i]);
            state.Tensors.Add($"param.{i}.exp_avg", (float[])_m[i]!.Clone());
            state.Tensors.Add($"param.{i}.exp_avg_sq", (float[])_v[i]!.Clone());
            if (_vmax[i] is { } vm) state.Tensors.Add($"param.{i}.max_exp_avg_sq", (float[])vm.Clone());
        }
    }

    /// <inheritdoc/>
    protected override void LoadState(OptimizerState state)
    {
        int n = _steps.Length;
        var steps = new long[n];
        var m = new float[]?[n];
        var v = new float[]?[n];
        var vmax = new float[]?[n];
        for (int i = 0; i < n; i++)
        {
            if (!state.Scalars.TryGetValue($"param.{i}.step", out double s)) continue;
            if (!(s >= 1 && s == Math.Floor(s)))
                throw new ArgumentException($"optimizer state 'param.{i}.step' must be a positive integer; got {s}.", nameof(state));
            steps[i] = (long)s;
            m[i] = ReadBuffer(state, $"param.{i}.exp_avg", i) ?? throw Missing($"param.{i}.exp_avg");
            v[i] = ReadBuffer(state, $"param.{i}.exp_avg_sq", i) ?? throw Missing($"param.{i}.exp_avg_sq");
            vmax[i] = ReadBuffer(state, $"param.{i}.max_exp_avg_sq", i);
            if (Amsgrad && vmax[i] is null) throw Missing($"param.{i}.max_exp_avg_sq");
        }
        steps.CopyTo(_steps, 0);
        m.CopyTo(_m, 0);
        v.CopyTo(_v, 0);
        vmax.CopyTo(_vmax, 0);
    }

    private static ArgumentException Missing(string key) => new($"optimizer state lacks '{key}' although the parameter's step count is present.", "state");
}
