using Xunit;

namespace Nonlinear.Tests.Core;

/// <summary>
/// The library's folders (= namespaces) depend on each other in one direction only. Every type's references
/// (signatures and IL, <see cref="TypeReferences"/>) must point to its own layer or a lower one, and the folder
/// graph must have no cycle. Bottom to top:
/// <list type="number">
/// <item>Kernels, Symbolic — span-level SIMD math and scalar double references (DoubleMath, Window2d geometry); the formula language. Know no tensors.</item>
/// <item>Tensors, Autodiff — the tensor and its ops, the tape (one layer: an op records itself, backward runs ops).</item>
/// <item>Activations, Losses, Data, IO — functions of tensors, datasets, file formats.</item>
/// <item>Layers — Module, containers, layers, learnable activation modules.</item>
/// <item>Kan, Models, Optim, Interpret, Quantization, Spiking, LocalLearning — networks built from layers, and the optimizers and
/// learning rules (LocalLearning: Hebbian, forward-forward, feedback alignment, reservoirs — rules that train a network
/// without end-to-end backpropagation, so they sit beside Optim) that train any of them.</item>
/// <item>Training — loops, specs, checkpoints. Export (ONNX) sits here too: it walks layers, KAN layers and model kinds, so it is above all of them.</item>
/// <item>Store — run storage.</item>
/// </list>
/// The CLI is a separate assembly on top. STYLE.md writes "Tensors/Autodiff ← Kernels": the code has always had
/// Tensors' ops built on Kernels, so Kernels is the bottom and the three former Kernels→Activations/Tensors and
/// Layers→Optim references were moved (DoubleMath and Window2d to Kernels, GradBuffers to Autodiff).
/// </summary>
public sealed class LayeringTests
{
    private static readonly Dictionary<string, int> Layer = new()
    {
        ["Kernels"] = 1, ["Symbolic"] = 1,
        ["Tensors"] = 2, ["Autodiff"] = 2,
        ["Activations"] = 3, ["Losses"] = 3, ["Data"] = 3, ["IO"] = 3,
        ["Layers"] = 4,
        ["Kan"] = 5, ["Models"] = 5, ["Optim"] = 5, ["Interpret"] = 5, ["Quantization"] = 5, ["Spiking"] = 5, ["LocalLearning"] = 5,
        ["Training"] = 6, ["Export"] = 6,
        ["Store"] = 7,
    };

    // The top-level folder of a type: Nonlinear.Kan.Interpret.X → "Kan"; the root namespace (InvalidInputException, compiler-generated helpers) → null.
    private static string? Area(Type t)
    {
        var parts = (t.Namespace ?? "").Split('.');
        return parts.Length > 1 && parts[0] == "Nonlinear" ? parts[1] : null;
    }

    private static Dictionary<string, SortedSet<string>> Edges()
    {
        var asm = typeof(Nonlinear.Tensors.Tensor).Assembly;
        var edges = new Dictionary<string, SortedSet<string>>();
        foreach (var t in asm.GetTypes())
        {
            if (Area(t) is not { } from) continue;
            foreach (var r in TypeReferences.Of(t))
            {
                if (r.Assembly != asm || Area(r) is not { } to || to == from) continue;
                var key = $"{from} -> {to}";
                if (!edges.TryGetValue(key, out var users)) edges[key] = users = [];
                users.Add($"{t.Name} uses {r.Name}");
            }
        }
        return edges;
    }

    [Fact]
    public void EveryFolderHasALayer()
    {
        var asm = typeof(Nonlinear.Tensors.Tensor).Assembly;
        var unknown = asm.GetTypes().Select(Area).OfType<string>().Distinct().Where(a => !Layer.ContainsKey(a)).ToList();
        Assert.True(unknown.Count == 0, $"folders without a layer in LayeringTests: {string.Join(", ", unknown)}; add them to the table and the doc comment.");
    }

    [Fact]
    public void DependenciesPointDown()
    {
        var bad = Edges()
            .Where(e => { var (f, t) = Split(e.Key); return Layer.GetValueOrDefault(t, 99) > Layer.GetValueOrDefault(f, 0); })
            .Select(e => $"{e.Key}: {string.Join("; ", e.Value.Take(3))}")
            .ToList();
        Assert.True(bad.Count == 0, "upward dependencies:\n" + string.Join("\n", bad));
    }

    [Fact]
    public void NoCyclesBetweenLayers()
    {
        // Folders of one layer may use each other only when the layer is one unit (Tensors+Autodiff); elsewhere a cycle is a missing layer.
        var graph = Edges().Keys.Select(Split)
            .Where(e => !(Unit(e.From) == Unit(e.To))).GroupBy(e => Unit(e.From)).ToDictionary(g => g.Key, g => g.Select(e => Unit(e.To)).ToHashSet());
        var state = new Dictionary<string, int>();
        var path = new List<string>();
        bool Visit(string n)
        {
            if (state.GetValueOrDefault(n) == 2) return false;
            if (state.GetValueOrDefault(n) == 1) { path.Add(n); return true; }
            state[n] = 1;
            path.Add(n);
            foreach (var m in graph.GetValueOrDefault(n) ?? []) if (Visit(m)) return true;
            path.RemoveAt(path.Count - 1);
            state[n] = 2;
            return false;
        }
        foreach (var n in graph.Keys) Assert.False(Visit(n), "cycle: " + string.Join(" -> ", path));
    }

    [Fact]
    public void TheScannerSeesReferencesInsideMethodBodies()
    {
        // Module.ZeroGrad used Optim.GradBuffers only inside its body; the scan must find such references.
        var refs = TypeReferences.Of(typeof(Nonlinear.Layers.Module));
        Assert.Contains(typeof(Nonlinear.Autodiff.GradBuffers), refs);
        Assert.Contains(typeof(Nonlinear.Kernels.Gemm), TypeReferences.Of(typeof(Nonlinear.Tensors.Ops)));
    }

    private static string Unit(string area) => area is "Tensors" or "Autodiff" ? "Tensors+Autodiff" : area;

    private static (string From, string To) Split(string key)
    {
        var p = key.Split(" -> ");
        return (p[0], p[1]);
    }
}
