using Nonlinear.Tensors;

namespace Nonlinear.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, L2 weight decay and Nesterov momentum — exactly
/// torch.optim.SGD (1.13, single-tensor): d = g + wd·p; buf = d on the first step, else μ·buf + (1−τ)·d;
/// d = d + μ·buf (Nesterov) or buf; p ← p − lr·d.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly float[]?[] _buffers;

    /// <summary>Momentum factor μ.</summary>
    public double Momentum { get; }
    /// <summary>Dampening τ of the momentum's gradient term (not applied on the first step).</summary>
    public double Dampening { get; }
    /// <summary>L2 penalty coefficient added to the gradient.</summary>
    public double WeightDecay { get; }
    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>Creates the optimizer.</summary>
    /// <exception cref="ArgumentException">A negative coefficient, or Nesterov without momentum or with dampening (as PyTorch).</exception>
    public Sgd(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, lr)
    {
        if (!(momentum >= 0)) throw new ArgumentException($"momentum must be ≥ 0; got {momentum}.", nameof(momentum));
        if (!(weightDecay >= 0)) throw new ArgumentException($"weightDecay must be ≥ 0; got {weightDecay}.", nameof(weightDecay));
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"Nesterov momentum requires momentum > 0 and dampening = 0; got momentum={momentum}, dampening={dampening}.", nameof(nesterov));
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        _buffers = new float[Parameters.Count][];
    }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        bool first = false;
        if (Momentum != 0 && _buffers[index] is null)
        {
            _buffers[index] = new float[parameter.Length];
            first = true;
        }
        var c = new SgdCoefs((float)-LearningRate, (float)Momentum, (float)(1 - Dampening), (float)WeightDecay, Nesterov, first);
        OptimKernels.Sgd(parameter, gradient, _buffers[index] ?? Span<float>.Empty, c);
    }

    private static string Key(int i) => $"param.{i}.momentum_buffer";

    /// <inheritdoc/>
    protected override IEnumerable<string> StateKeys() => Enumerable.Range(0, Parameters.Count).Select(Key);

    /// <inheritdoc/>
    protected override void SaveState(OptimizerState state)
    {
        for (int i = 0; i < _buffers.Length; i++)
            if (_buffers[i] is { } b) state.Tensors.Add(Key(i), (float[])b.Clone());
    }

    /// <inheritdoc/>
    protected override void LoadState(OptimizerState state)
    {
        var loaded = new float[]?[_buffers.Length];
        for (int i = 0; i < loaded.Length; i++) loaded[i] = ReadBuffer(state, Key(i), i);
        loaded.CopyTo(_buffers, 0);
    }
}
