using System.Text;

namespace Nonlinear.Layers;

public abstract partial class Module
{
    /// <summary>
    /// This module (name "") and every descendant with its dotted name, depth first in registration order, each
    /// module once even if registered twice (torch's named_modules()).
    /// </summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(string, Module)>();
        stack.Push(("", this));
        while (stack.Count > 0)
        {
            var (name, m) = stack.Pop();
            if (!seen.Add(m)) continue;
            yield return (name, m);
            for (int i = m._children.Count - 1; i >= 0; i--)
            {
                var (childName, child) = m._children[i];
                stack.Push((name.Length == 0 ? childName : name + "." + childName, child));
            }
        }
    }

    /// <summary>Calls <paramref name="fn"/> on every descendant (children before parents) and then on this module; returns this (torch's apply()).</summary>
    public Module Apply(Action<Module> fn)
    {
        ArgumentNullException.ThrowIfNull(fn);
        foreach (var (_, child) in _children) child.Apply(fn);
        fn(this);
        return this;
    }

    /// <summary>
    /// The descendant at a dotted path such as <c>layers.1</c> ("" is this module; torch's get_submodule()).
    /// </summary>
    /// <exception cref="InvalidInputException">No module has that name; the message lists the closest names.</exception>
    public Module GetSubmodule(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0) return this;
        var m = this;
        foreach (var part in name.Split('.'))
        {
            var next = m._children.FirstOrDefault(c => c.Name == part).Module;
            if (next is null)
            {
                var close = CloseNames.Nearest(name, NamedModules().Select(n => n.Name));
                throw new InvalidInputException($"no sub-module '{name}' in {GetType().Name}; closest names: {string.Join(", ", close)}.", nameof(name));
            }
            m = next;
        }
        return m;
    }

    /// <summary>
    /// Stops gradients for the parameters under the dotted <paramref name="prefix"/> (all when null or empty):
    /// RequiresGrad = false, so Backward() leaves their Grad alone and optimizers skip them (torch's requires_grad_(False)).
    /// </summary>
    /// <exception cref="InvalidInputException">No parameter lies under the prefix; the message lists the closest names.</exception>
    public void Freeze(string? prefix = null) => SetRequiresGrad(prefix, false);

    /// <summary>Lets gradients flow again to the parameters under <paramref name="prefix"/> (all when null or empty).</summary>
    /// <exception cref="InvalidInputException">No parameter lies under the prefix; the message lists the closest names.</exception>
    public void Unfreeze(string? prefix = null) => SetRequiresGrad(prefix, true);

    private void SetRequiresGrad(string? prefix, bool value)
    {
        var all = NamedParameters().ToList();
        var chosen = string.IsNullOrEmpty(prefix) ? all : all.Where(p => p.Name == prefix || p.Name.StartsWith(prefix + ".", StringComparison.Ordinal)).ToList();
        if (chosen.Count == 0 && all.Count > 0)
            throw new InvalidInputException($"no parameter of {GetType().Name} lies under '{prefix}'; closest names: {string.Join(", ", CloseNames.Nearest(prefix!, all.Select(p => p.Name)))}.", nameof(prefix));
        foreach (var p in chosen) p.Tensor.RequiresGrad = value;
    }

    /// <summary>The layer's hyper-parameters for <see cref="ToString"/>, as torch's extra_repr: "in_features=64, out_features=128, bias=True".</summary>
    protected virtual string ExtraRepr() => "";

    /// <summary>
    /// The module tree as torch prints it: <c>Sequential(\n  (0): Linear(in_features=64, out_features=128, bias=True)\n  (1): …\n)</c>.
    /// </summary>
    public override string ToString()
    {
        var extra = ExtraRepr();
        var lines = new List<string>();
        if (extra.Length > 0) lines.AddRange(extra.Split('\n'));
        int extraCount = lines.Count;
        foreach (var (name, child) in _children) lines.Add($"({name}): {Indent(child.ToString(), 2)}");
        var sb = new StringBuilder(GetType().Name).Append('(');
        if (extraCount == 1 && lines.Count == 1) sb.Append(lines[0]);
        else if (lines.Count > 0) sb.Append("\n  ").Append(string.Join("\n  ", lines)).Append('\n');
        return sb.Append(')').ToString();
    }

    // torch's _addindent: every line but the first shifted right.
    private static string Indent(string text, int spaces) => text.Replace("\n", "\n" + new string(' ', spaces));

    /// <summary>Python's repr of a float hyper-parameter: the shortest round-trip digits, "1e-05", "0.5", "2.0".</summary>
    protected static string PyFloat(float value)
    {
        string s = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        int e = s.IndexOf('E');
        if (e >= 0)
        {
            int exp = int.Parse(s[(e + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            return s[..e] + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
        }
        return float.IsFinite(value) && !s.Contains('.') ? s + ".0" : s;
    }

    /// <summary>A pooling size as torch prints it: one number when both axes agree (kernel_size=2), else a pair.</summary>
    protected static string PoolPair(int h, int w) => h == w ? h.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"({h}, {w})";

    /// <summary>Python's spelling of a bool in reprs.</summary>
    protected static string PyBool(bool value) => value ? "True" : "False";
}
