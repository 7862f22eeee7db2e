using Nonlinear.Tensors;

namespace Nonlinear.Autodiff;

/// <summary>Clearing of gradients between steps.</summary>
public static class GradBuffers
{
    /// <summary>
    /// Zeroes each tensor's gradient in place, or sets it to null with <paramref name="setToNone"/>. Keeping the
    /// buffers lets backward accumulate into them (see Ops.Linear) instead of allocating a gradient per step.
    /// </summary>
    public static void Zero(IEnumerable<Tensor> parameters, bool setToNone)
    {
        foreach (var p in parameters)
        {
            if (setToNone || p.Grad is null) { p.Grad = null; continue; }
            if (p.Grad.IsContiguous) p.Grad.AsSpan().Clear();
            else p.Grad = null;
        }
    }
}
