using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Optim;

/// <summary>
/// Everything an optimizer needs to resume exactly: per-parameter buffers (momentum, Adam moments) as float arrays
/// and scalars (learning rate, step counts) as doubles, each under a stable name such as "param.3.exp_avg".
/// </summary>
/// <param name="Tensors">Buffers by name, copied (not aliases of the live state).</param>
/// <param name="Scalars">Scalars by name: "lr", "param.i.step", ….</param>
public sealed record OptimizerState(OrderedDictionary<string, float[]> Tensors, OrderedDictionary<string, double> Scalars);

/// <summary>
/// Base of the optimizers (torch.optim.Optimizer with one parameter group). Parameters are contiguous leaf tensors;
/// <see cref="Step"/> updates each from its <see cref="Tensor.Grad"/> and skips those whose gradient is null.
/// </summary>
public abstract class Optimizer
{
    private readonly Tensor[] _parameters;
    private double _lr;

    /// <summary>Takes the parameters (in order; state names refer to their index) and the learning rate.</summary>
    /// <exception cref="ArgumentException">No parameters, a duplicate, a non-leaf or non-contiguous tensor, or an invalid learning rate.</exception>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0) throw new ArgumentException("parameters is empty; an optimizer needs at least one tensor.", nameof(parameters));
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i] ?? throw new ArgumentException($"parameters[{i}] is null.", nameof(parameters));
            if (!p.IsLeaf || !p.IsContiguous)
                throw new ArgumentException($"parameters[{i}] ({p}) must be a contiguous leaf tensor.", nameof(parameters));
            if (!seen.Add(p)) throw new ArgumentException($"parameters[{i}] appears more than once.", nameof(parameters));
        }
        LearningRate = learningRate;
        InitialLearningRate = learningRate;
    }

    /// <summary>The parameters, in the order given.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>Current learning rate (schedulers set it).</summary>
    public double LearningRate
    {
        get => _lr;
        set
        {
            if (!(value >= 0) || !double.IsFinite(value))
                throw new ArgumentException($"learning rate must be finite and ≥ 0; got {value}.", nameof(value));
            _lr = value;
        }
    }

    /// <summary>The learning rate given at construction: the base every scheduler scales (PyTorch's initial_lr).</summary>
    public double InitialLearningRate { get; }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            if (p.Grad is null) continue;
            if (!Shapes.Equal(p.Grad.Shape, p.Shape))
                throw new InvalidOperationException($"parameter {i} has shape {Shapes.Format(p.Shape)} but its gradient has shape {Shapes.Format(p.Grad.Shape)}.");
            Update(i, p.AsSpan(), p.Grad.Contiguous().AsSpan());
        }
    }

    /// <summary>Updates parameter <paramref name="index"/> in place from its gradient.</summary>
    protected abstract void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient);

    /// <summary>
    /// Zeroes every parameter's gradient in place (torch 1.13's default), so the next backward pass accumulates
    /// into the same buffers instead of allocating new ones; with <paramref name="setToNone"/> drops them instead.
    /// </summary>
    public void ZeroGrad(bool setToNone = false) => GradBuffers.Zero(_parameters, setToNone);

    /// <summary>A copy of the learning rate and every state buffer (state_dict()).</summary>
    public OptimizerState StateDict()
    {
        var state = new OptimizerState(new OrderedDictionary<string, float[]>(), new OrderedDictionary<string, double>());
        state.Scalars.Add("lr", LearningRate);
        SaveState(state);
        return state;
    }

    /// <summary>Restores a state from <see cref="StateDict"/> (same optimizer type and parameter shapes).</summary>
    /// <exception cref="ArgumentException">A key is missing or unexpected, or a buffer has the wrong length.</exception>
    public void LoadStateDict(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var expected = StateKeys().ToHashSet();
        var unexpected = state.Tensors.Keys.Concat(state.Scalars.Keys).Where(k => k != "lr" && !expected.Contains(k)).ToList();
        if (!state.Scalars.ContainsKey("lr") || unexpected.Count > 0)
            throw new ArgumentException($"optimizer state does not match {GetType().Name}: 'lr' present: {state.Scalars.ContainsKey("lr")}, unexpected keys [{MessageText.List(unexpected)}].", nameof(state));
        LoadState(state);
        LearningRate = state.Scalars["lr"];
    }

    /// <summary>Every key this optimizer may write besides "lr".</summary>
    protected abstract IEnumerable<string> StateKeys();

    /// <summary>Adds this optimizer's buffers and counters to <paramref name="state"/>.</summary>
    protected abstract void SaveState(OptimizerState state);

    /// <summary>Replaces this optimizer's buffers and counters from <paramref name="state"/> (absent keys mean "not yet created").</summary>
    protected abstract void LoadState(OptimizerState state);

    /// <summary>A copy of buffer <paramref name="key"/> checked against parameter <paramref name="index"/>'s length, or null when absent.</summary>
    protected float[]? ReadBuffer(OptimizerState state, string key, int index)
    {
        if (!state.Tensors.TryGetValue(key, out var buf)) return null;
        if (buf.Length != _parameters[index].Length)
            throw new ArgumentException($"optimizer state '{key}' has {buf.Length} elements; expected {_parameters[index].Length} (parameter {index}, shape {Shapes.Format(_parameters[index].Shape)}).", nameof(state));
        return (float[])buf.Clone();
    }
}
