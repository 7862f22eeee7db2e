using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>
/// Runs before <see cref="Module.Forward"/> (torch's forward pre-hook). Return a tensor to replace the input, or
/// null to keep it.
/// </summary>
public delegate Tensor? ForwardPreHook(Module module, Tensor input);

/// <summary>
/// Runs after <see cref="Module.Forward"/> with the input it received and its output (torch's forward hook).
/// Return a tensor to replace the output, or null to keep it.
/// </summary>
public delegate Tensor? ForwardHook(Module module, Tensor input, Tensor output);

/// <summary>
/// Runs during Backward() when the module's gradients are known (torch's full backward hook):
/// <paramref name="gradOutput"/> is ∂L/∂output, <paramref name="gradInput"/> is ∂L/∂input, or null when the input
/// does not require gradients. Return a tensor (the input's shape) to replace the input gradient, or null to keep it.
/// </summary>
public delegate Tensor? BackwardHook(Module module, Tensor? gradInput, Tensor gradOutput);

/// <summary>Removes the hook it was returned for when disposed (torch's RemovableHandle); disposing twice does nothing.</summary>
public sealed class HookHandle : IDisposable
{
    private Action? _remove;

    internal HookHandle(Action remove) => _remove = remove;

    /// <summary>Removes the hook (torch's handle.remove()).</summary>
    public void Dispose()
    {
        _remove?.Invoke();
        _remove = null;
    }
}
