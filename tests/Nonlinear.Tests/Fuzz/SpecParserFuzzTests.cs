using System.Text;
using Nonlinear.Activations;
using Nonlinear.Layers;
using Nonlinear.Symbolic;
using Nonlinear.Models;
using Xunit;

namespace Nonlinear.Tests.Fuzz;

/// <summary>
/// 10,000 mutated spec strings each through the catalog, activation-spec (fixed, learnable, formula), model, KAN basis,
/// formula, store-URL, transformer-MLP, QAT, learning-rule and coordinate-encoding parsers:
/// every rejection must be an <see cref="InvalidInputException"/> with a message (the one type the CLI reports
/// as a user error), within the bounds of <see cref="FuzzHarness"/>.
/// </summary>
public sealed class SpecParserFuzzTests
{
    private static string Text(byte[] input) => Encoding.UTF8.GetString(input);

    [Fact]
    public async Task ActivationCatalogParse()
    {
        var r = await FuzzHarness.Run("activation", FuzzHarness.Lines("activations.txt"), FuzzHarness.Seed(20261211), typeof(InvalidInputException),
            (input, _) => ActivationCatalog.Parse(Text(input)));
        FuzzHarness.AssertClean(r);
    }

    [Fact]
    public async Task ActivationSpecParse()
    {
        // The one spec parser of fixed and learnable units; CreateModule also binds a learnable unit's arguments.
        var r = await FuzzHarness.Run("activation spec", FuzzHarness.Lines("activations.txt"), FuzzHarness.Seed(20261212), typeof(InvalidInputException),
            (input, _) => ActivationSpec.Parse(Text(input)).CreateModule(3, new Nonlinear.Tensors.Rng(0)));
        FuzzHarness.AssertClean(r);
    }

    [Fact]
    public async Task ModelSpecValidate()
    {
        var r = await FuzzHarness.Run("model", FuzzHarness.Lines("models.txt"), FuzzHarness.Seed(20261213), typeof(InvalidInputException),
            (input, _) => ModelSpec.Parse(Text(input)));
        FuzzHarness.AssertClean(r);
    }

    [Fact]
    public async Task KanBasisSpecParse()
    {
        // Create also runs the basis constructor: every value the spec's bounds admit must build a basis.
        var r = await FuzzHarness.Run("KAN basis spec", FuzzHarness.Lines("kan-bases.txt"), FuzzHarness.Seed(20261215), typeof(InvalidInputException),
            (input, _) => Nonlinear.Kan.KanBasisSpec.Parse(Text(input)).Create(3));
        FuzzHarness.AssertClean(r);
    }

    [Fact]
    public async Task FormulaParse()
    {
        var r = await FuzzHarness.Run("formula", FuzzHarness.Lines("formulas.txt"), FuzzHarness.Seed(20261214), typeof(InvalidInputException),
            (input, _) => ExprParser.Parse(Text(input)));
        FuzzHarness.AssertClean(r);
    }

    [Fact]
    public async Task StoreUrlParse()
    {
        // --store: SQLite paths and postgres:// URLs (the parse builds the provider's connection string too).
        var r = await FuzzHarness.Run("store URL", FuzzHarness.Lines("stores.txt"), FuzzHarness.Seed(20261220), typeof(InvalidInputException),
            (input, _) => Nonlinear.Store.StoreUrl.Parse(Text(input)));
        FuzzHarness.AssertClean(r);
    }

    [Fact]
    public async Task TransformerMlpSpecParse()
    {
        // lm --mlp: gated kinds, glu(ACT) with any catalog or learnable gate, bilinear, plain activations.
        var r = await FuzzHarness.Run("transformer MLP spec", FuzzHarness.Lines("mlp-kinds.txt"), FuzzHarness.Seed(20261221), typeof(InvalidInputException),
            (input, _) => Nonlinear.Layers.Transformer.MlpSpec.Parse(Text(input)));
        FuzzHarness.AssertClean(r);
    }

    [Fact]
    public async Task QatSpecParse()
    {
        // train --qat: bit widths, lsq:B, binary, ternary.
        var r = await FuzzHarness.Run("QAT spec", FuzzHarness.Lines("qat.txt"), FuzzHarness.Seed(20261222), typeof(InvalidInputException),
            (input, _) => Nonlinear.Quantization.Qat.QatSpec.Parse(Text(input)));
        FuzzHarness.AssertClean(r);
    }

    [Fact]
    public async Task LearningSpecParse()
    {
        // train --learning: bp, fa, dfa, ff(…), hebbian-krotov(…).
        var r = await FuzzHarness.Run("learning spec", FuzzHarness.Lines("learning.txt"), FuzzHarness.Seed(20261223), typeof(InvalidInputException),
            (input, _) => Nonlinear.LocalLearning.LearningSpec.Parse(Text(input)));
        FuzzHarness.AssertClean(r);
    }

    [Fact]
    public async Task CoordinateEncodingParse()
    {
        // fit --image --encoding: none, pe(L), fourier(σ,m).
        var r = await FuzzHarness.Run("coordinate encoding", FuzzHarness.Lines("encodings.txt"), FuzzHarness.Seed(20261224), typeof(InvalidInputException),
            (input, _) => Nonlinear.Layers.Inr.CoordinateEncoding.Parse(Text(input)));
        FuzzHarness.AssertClean(r);
    }
}
