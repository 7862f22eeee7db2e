using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Layers;

public abstract partial class Module
{
    // Null while no hook is registered, so Call costs one null check on the training path.
    private HookLists? _hooks;

    /// <summary>
    /// Runs the module (torch's <c>module(x)</c>): forward pre-hooks, <see cref="Forward"/>, forward hooks, and
    /// wires backward hooks into the graph. Containers call their children through this method.
    /// </summary>
    public Tensor Call(Tensor x)
    {
        var hooks = _hooks;
        return hooks is null ? Forward(x) : hooks.Run(this, x);
    }

    /// <summary>Whether any hook is registered on this module (a fused path that skips <see cref="Call"/> must not run then).</summary>
    internal bool HasHooks => _hooks is not null;

    /// <summary>Adds a hook that runs before <see cref="Forward"/> and may replace its input; dispose the handle to remove it.</summary>
    public HookHandle RegisterForwardPreHook(ForwardPreHook hook) => Add(h => h.Pre, hook);

    /// <summary>Adds a hook that runs after <see cref="Forward"/> and may replace its output; dispose the handle to remove it.</summary>
    public HookHandle RegisterForwardHook(ForwardHook hook) => Add(h => h.Post, hook);

    /// <summary>Adds a hook that sees the module's output and input gradients during Backward(); dispose the handle to remove it.</summary>
    public HookHandle RegisterBackwardHook(BackwardHook hook) => Add(h => h.Backward, hook);

    /// <summary>A forward pre-hook on the sub-module at the dotted <paramref name="name"/> (see <see cref="GetSubmodule"/>).</summary>
    public HookHandle RegisterForwardPreHook(string name, ForwardPreHook hook) => GetSubmodule(name).RegisterForwardPreHook(hook);

    /// <summary>A forward hook on the sub-module at the dotted <paramref name="name"/> (see <see cref="GetSubmodule"/>).</summary>
    public HookHandle RegisterForwardHook(string name, ForwardHook hook) => GetSubmodule(name).RegisterForwardHook(hook);

    /// <summary>A backward hook on the sub-module at the dotted <paramref name="name"/> (see <see cref="GetSubmodule"/>).</summary>
    public HookHandle RegisterBackwardHook(string name, BackwardHook hook) => GetSubmodule(name).RegisterBackwardHook(hook);

    /// <summary>Shorthand for <see cref="RegisterForwardHook(string, ForwardHook)"/>: <c>model.Hook("layers.1", (m, x, y) => …)</c>.</summary>
    public HookHandle Hook(string name, ForwardHook hook) => RegisterForwardHook(name, hook);

    private HookHandle Add<T>(Func<HookLists, List<T>> list, T hook) where T : Delegate
    {
        ArgumentNullException.ThrowIfNull(hook);
        var hooks = _hooks ??= new HookLists();
        list(hooks).Add(hook);
        return new HookHandle(() =>
        {
            // Another handle may have emptied and dropped the lists meanwhile; remove from the ones the hook went into.
            list(hooks).Remove(hook);
            if (ReferenceEquals(_hooks, hooks) && hooks.IsEmpty) _hooks = null;
        });
    }

    private sealed class HookLists
    {
        public readonly List<ForwardPreHook> Pre = [];
        public readonly List<ForwardHook> Post = [];
        public readonly List<BackwardHook> Backward = [];

        public bool IsEmpty => Pre.Count == 0 && Post.Count == 0 && Backward.Count == 0;

        // torch's _call_impl order: pre-hooks, input wrapped for backward hooks, forward, forward hooks, output wrapped.
        public Tensor Run(Module module, Tensor x)
        {
            foreach (var pre in Pre.ToArray()) x = pre(module, x) ?? x;
            var backward = Backward.Count > 0 && Autograd.IsEnabled ? Backward.ToArray() : null;
            Tensor? gradOutput = null;
            bool inputTracked = backward is not null && x.RequiresGrad;
            var input = x;
            if (inputTracked)
                // An alias of the input whose backward rule sees ∂L/∂input once the module's ops have summed it.
                input = Autograd.Record(x.Alias(), "backward_hook", [x], g => [Fire(module, backward!, g, gradOutput!)], saved: []);
            var y = module.Forward(input);
            foreach (var post in Post.ToArray()) y = post(module, input, y) ?? y;
            if (backward is null || !y.RequiresGrad) return y;
            return Autograd.Record(y.Alias(), "backward_hook", [y], g =>
            {
                gradOutput = g;
                if (!inputTracked) Fire(module, backward, null, g);
                return [g];
            }, saved: []);
        }

        private static Tensor? Fire(Module module, BackwardHook[] hooks, Tensor? gradInput, Tensor gradOutput)
        {
            foreach (var h in hooks)
            {
                var replaced = h(module, gradInput, gradOutput);
                if (replaced is null) continue;
                if (gradInput is null || !Shapes.Equal(replaced.Shape, gradInput.Shape))
                    throw new InvalidOperationException($"a backward hook on {module.GetType().Name} returned a gradient of shape {Shapes.Format(replaced.Shape)}; " +
                        (gradInput is null ? "the input needs no gradient, so return null." : $"the input's is {Shapes.Format(gradInput.Shape)}."));
                gradInput = replaced;
            }
            return gradInput;
        }
    }
}
