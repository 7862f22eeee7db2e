using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>
/// A parameter or buffer together with its dotted path in the module tree ("layers.0.weight").
/// A parameter itself is simply a leaf <see cref="Tensors.Tensor"/> with <see cref="Tensor.RequiresGrad"/> set:
/// no wrapper type, so every op and the optimizers take it as it is (its data is <see cref="Tensor.AsSpan"/>,
/// its gradient <see cref="Tensor.Grad"/>).
/// </summary>
/// <param name="Name">Dotted path, as in PyTorch's named_parameters().</param>
/// <param name="Tensor">The tensor itself (not a copy).</param>
public readonly record struct NamedTensor(string Name, Tensor Tensor);
