using Nonlinear.Activations;
using Nonlinear.Export;
using Nonlinear.Layers.Learnable;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Export;

/// <summary>A new catalog entry or learnable unit without an ONNX form fails here, so none is silently unexportable.</summary>
public sealed class ExportCoverageTests
{
    [Fact]
    public void EveryCatalogEntryHasAnExportAndEveryExportAnEntry()
    {
        var catalog = ActivationCatalog.All.Select(e => e.Info.Name).ToHashSet();
        Assert.Equal(160, catalog.Count);
        var missing = catalog.Where(n => !ActivationExports.TryGet(n, out _)).ToList();
        Assert.True(missing.Count == 0, "no ONNX export for: " + string.Join(", ", missing));
        var stale = ActivationExports.Names.Where(n => !catalog.Contains(n)).ToList();
        Assert.True(stale.Count == 0, "ONNX exports for names not in the catalog: " + string.Join(", ", stale));
    }

    [Fact]
    public void EveryLearnableUnitModuleHasAnExport()
    {
        var rng = new Rng(1);
        foreach (var unit in LearnableUnits.All)
        {
            var m = Nonlinear.Layers.RegisteredActivation.Of(unit).CreateModule(unit.Parameters.Select(p => p.Default).ToArray(), 4, rng);
            Assert.True(ModuleExports.Has(m.GetType()), $"{unit.Name} → {m.GetType().Name} has no ONNX export");
        }
    }
}
