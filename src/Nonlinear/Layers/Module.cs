using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>
/// Base of every layer (torch.nn.Module). Parameters, buffers and sub-modules are registered explicitly by
/// name in the constructor (no reflection), and enumerate in registration order: a module's own parameters
/// first, then each child's, with dotted names such as <c>layers.0.weight</c>.
/// </summary>
/// <remarks>
/// <para><b>Calling a child: always <see cref="Call"/>, never <see cref="Forward"/>.</b> <see cref="Call"/> is the
/// one non-virtual entry point (torch's <c>module(x)</c>): it runs the hooks registered on the child
/// (<see cref="RegisterForwardPreHook(ForwardPreHook)"/>, <see cref="RegisterForwardHook(ForwardHook)"/>,
/// <see cref="RegisterBackwardHook(BackwardHook)"/>) around <see cref="Forward"/>, and costs one null check when
/// none is registered. A container (Sequential, KanNetwork, a model builder's module) that calls
/// <c>child.Forward(x)</c> silently skips its children's hooks. Subclasses override <see cref="Forward"/> only.
/// (A separate entry point rather than a non-virtual Forward over a protected ForwardCore: that would rename the
/// override in every module, including modules being written on other branches, for the same effect.)</para>
/// <para>Printing: <see cref="ToString"/> gives torch's module tree; a layer describes its hyper-parameters in
/// <see cref="ExtraRepr"/> (torch's extra_repr).</para>
/// </remarks>
public abstract partial class Module
{
    private readonly List<NamedTensor> _parameters = [];
    private readonly List<NamedTensor> _buffers = [];
    private readonly List<(string Name, Module Module)> _children = [];

    /// <summary>True in training mode (the default); Dropout and BatchNorm behave differently in evaluation mode.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>
    /// y = f(x): the layer's computation, recording gradients through the ops it uses. Callers outside the module
    /// itself use <see cref="Call"/>, which also runs hooks.
    /// </summary>
    public abstract Tensor Forward(Tensor x);

    /// <summary>Registers a trainable leaf tensor under <paramref name="name"/>; sets RequiresGrad and returns it.</summary>
    /// <exception cref="ArgumentException">The name is empty, contains '.', or is taken; or the tensor is not a contiguous leaf.</exception>
    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        CheckNew(name, tensor);
        tensor.RequiresGrad = true;
        _parameters.Add(new NamedTensor(name, tensor));
        return tensor;
    }

    /// <summary>Registers non-trainable state saved in checkpoints (e.g. BatchNorm running statistics); returns it.</summary>
    protected Tensor RegisterBuffer(string name, Tensor tensor)
    {
        CheckNew(name, tensor);
        _buffers.Add(new NamedTensor(name, tensor));
        return tensor;
    }

    /// <summary>Registers a child module whose parameters appear as <c>name.child_parameter</c>; returns it.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name);
        if (ReferenceEquals(module, this)) throw new ArgumentException($"module '{name}' cannot be registered inside itself.", nameof(module));
        _children.Add((name, module));
        module.Train(IsTraining);
        return module;
    }

    private void CheckNew(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        CheckName(name);
        if (!tensor.IsLeaf || !tensor.IsContiguous)
            throw new ArgumentException($"tensor '{name}' must be a contiguous leaf; got shape {Shapes.Format(tensor.Shape)} (leaf: {tensor.IsLeaf}, contiguous: {tensor.IsContiguous}).", nameof(tensor));
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"name must be non-empty and contain no '.'; got '{name}'.", nameof(name));
        if (_parameters.Any(p => p.Name == name) || _buffers.Any(b => b.Name == name) || _children.Any(c => c.Name == name))
            throw new ArgumentException($"name '{name}' is already registered in {GetType().Name}.", nameof(name));
    }

    /// <summary>Direct children with their names, in registration order.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children;

    /// <summary>Every parameter with its dotted name: own parameters first, then each child's (named_parameters()).</summary>
    public IEnumerable<NamedTensor> NamedParameters() => Walk(m => m._parameters);

    /// <summary>Every buffer with its dotted name (named_buffers()).</summary>
    public IEnumerable<NamedTensor> NamedBuffers() => Walk(m => m._buffers);

    /// <summary>The parameters in the order of <see cref="NamedParameters"/>, ready for an optimizer.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Tensor);

    /// <summary>Total number of scalar parameters.</summary>
    public long ParameterCount => Parameters().Sum(p => (long)p.Length);

    private IEnumerable<NamedTensor> Walk(Func<Module, List<NamedTensor>> pick, string prefix = "")
    {
        foreach (var t in pick(this)) yield return new NamedTensor(prefix + t.Name, t.Tensor);
        foreach (var (name, child) in _children)
            foreach (var t in child.Walk(pick, prefix + name + ".")) yield return t;
    }

    /// <summary>Sets training mode on this module and every descendant.</summary>
    public void Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in _children) child.Train(training);
    }

    /// <summary>Evaluation mode: <c>Train(false)</c>.</summary>
    public void Eval() => Train(false);

    /// <summary>Zeroes every parameter's gradient in place (torch 1.13's zero_grad()); with <paramref name="setToNone"/> drops them.</summary>
    public void ZeroGrad(bool setToNone = false) => GradBuffers.Zero(Parameters(), setToNone);

    /// <summary>
    /// Parameters and buffers by dotted name, in PyTorch's state_dict order (per module: parameters, buffers,
    /// then children). The tensors are the live ones, not copies.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var dict = new OrderedDictionary<string, Tensor>();
        AddState(dict, "");
        return dict;
    }

    private void AddState(OrderedDictionary<string, Tensor> dict, string prefix)
    {
        foreach (var p in _parameters) dict.Add(prefix + p.Name, p.Tensor);
        foreach (var b in _buffers) dict.Add(prefix + b.Name, b.Tensor);
        foreach (var (name, child) in _children) child.AddState(dict, prefix + name + ".");
    }

    /// <summary>
    /// Copies the entries of <paramref name="state"/> into the matching parameters and buffers (torch's
    /// load_state_dict). Strict (the default) requires the keys to match exactly; with <paramref name="strict"/> false
    /// only the common keys are copied and the others are returned, as torch returns missing_keys and unexpected_keys.
    /// Shapes must match in both modes (as in torch). Nothing is copied unless every check passes.
    /// </summary>
    /// <exception cref="InvalidInputException">
    /// Strict and keys are missing or unexpected (the first <see cref="MessageText.MaxListed"/> of each
    /// listed, with the counts), or a shape differs (key, expected and actual shape named).
    /// </exception>
    public StateDictLoadResult LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        var result = new StateDictLoadResult(
            own.Keys.Where(k => !state.ContainsKey(k)).ToList(),
            state.Keys.Where(k => !own.ContainsKey(k)).ToList());
        if (strict && !result.IsExactMatch)
            throw new InvalidInputException($"state dict does not match {GetType().Name}: {result}.", nameof(state));
        var common = own.Where(kv => state.ContainsKey(kv.Key)).ToList();
        foreach (var (key, target) in common)
        {
            var source = state[key];
            if (!Shapes.Equal(source.Shape, target.Shape))
                throw new InvalidInputException($"state dict entry '{key}' has shape {Shapes.Format(source.Shape)}; expected {Shapes.Format(target.Shape)}.", nameof(state));
        }
        using var _ = Autograd.NoGrad();
        foreach (var (key, target) in common)
        {
            var src = state[key].Contiguous().AsReadOnlySpan();
            src.CopyTo(target.AsSpan());
        }
        return result;
    }
}
