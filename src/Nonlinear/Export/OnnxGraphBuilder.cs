using Google.Protobuf;
using Nonlinear.Export.Proto;

namespace Nonlinear.Export;

/// <summary>
/// Builds one ONNX graph node by node: every op returns the <see cref="OnnxValue"/> of its (single) output, names are
/// generated, scalar constants are shared initializers. The exporters of layers, activations and KAN bases all write
/// through this one API, so a later pass (e.g. a QuantizeLinear/DequantizeLinear pair around a quantized Linear's
/// weight) is a few more Node calls, not a second encoder.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph = new() { Name = "nonlinear" };
    private readonly Dictionary<int, OnnxValue> _scalars = [];
    private readonly Dictionary<string, int> _opCounts = new(StringComparer.Ordinal);
    private int _next;
    private string _scope = "";

    /// <summary>A builder for the given ai.onnx opset (decides which native operators exist).</summary>
    public OnnxGraphBuilder(int opset) => Opset = opset;

    /// <summary>The ai.onnx opset the graph targets.</summary>
    public int Opset { get; }

    /// <summary>The graph being built.</summary>
    public GraphProto Graph => _graph;

    /// <summary>How many nodes of each operator type the graph has.</summary>
    public IReadOnlyDictionary<string, int> OpCounts => _opCounts;

    /// <summary>Names created inside <paramref name="scope"/> start with it (the module's dotted name), so a Netron view reads like the module tree.</summary>
    public IDisposable Scope(string scope)
    {
        string saved = _scope;
        _scope = scope.Length == 0 ? saved : (saved.Length == 0 ? scope : saved + "." + scope);
        return new Restore(() => _scope = saved);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    private string Fresh(string hint) => $"{(_scope.Length == 0 ? "" : _scope + "/")}{hint}_{_next++}";

    /// <summary>Declares a float graph input of shape [batch, dims…] ("N" is the symbolic batch dimension).</summary>
    public OnnxValue Input(string name, IReadOnlyList<int> dims)
    {
        _graph.Input.Add(ValueInfo(name, dims));
        return new OnnxValue(this, name);
    }

    /// <summary>Marks <paramref name="value"/> as the graph output <paramref name="name"/> of shape [batch, dims…].</summary>
    public void Output(OnnxValue value, string name, IReadOnlyList<int> dims)
    {
        var named = Node("Identity", [value], outputName: name);
        _graph.Output.Add(ValueInfo(named.Name, dims));
    }

    /// <summary>
    /// Declares a graph input of element type <paramref name="type"/> whose dims are each a name (symbolic, e.g. "N",
    /// "T") or an int (fixed); no batch dimension is added.
    /// </summary>
    public OnnxValue Input(string name, TensorProto.Types.DataType type, IReadOnlyList<object> dims)
    {
        _graph.Input.Add(ValueInfo(name, type, dims));
        return new OnnxValue(this, name);
    }

    /// <summary>Marks <paramref name="value"/> as the float graph output <paramref name="name"/> with dims as in <see cref="Input(string, TensorProto.Types.DataType, IReadOnlyList{object})"/>.</summary>
    public void Output(OnnxValue value, string name, IReadOnlyList<object> dims)
    {
        var named = Node("Identity", [value], outputName: name);
        _graph.Output.Add(ValueInfo(named.Name, TensorProto.Types.DataType.Float, dims));
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, IReadOnlyList<object> dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is string p ? new TensorShapeProto.Types.Dimension { DimParam = p } : new TensorShapeProto.Types.Dimension { DimValue = (int)d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    private static ValueInfoProto ValueInfo(string name, IReadOnlyList<int> dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        foreach (int d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    /// <summary>A float initializer (weights); <paramref name="data"/> is copied.</summary>
    public OnnxValue Initializer(string hint, ReadOnlySpan<float> data, params long[] dims)
    {
        long count = dims.Aggregate(1L, (a, b) => a * b);
        if (count != data.Length) throw new ArgumentException($"initializer '{hint}': dims [{string.Join(", ", dims)}] hold {count} values; got {data.Length}.", nameof(data));
        var t = new TensorProto { Name = Fresh(hint), DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        // raw_data is little-endian float32, the layout ORT maps without a copy; the packed float_data field would be parsed element by element.
        t.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data));
        _graph.Initializer.Add(t);
        return new OnnxValue(this, t.Name);
    }

    /// <summary>An int64 initializer (shapes, axes, pads given as inputs).</summary>
    public OnnxValue Int64s(string hint, params long[] values)
    {
        var t = new TensorProto { Name = Fresh(hint), DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        _graph.Initializer.Add(t);
        return new OnnxValue(this, t.Name);
    }

    /// <summary>An initializer of any element type from its little-endian bytes (int8 weights, uint8 tables and zero points, int32 biases); empty dims make a scalar.</summary>
    public OnnxValue Raw(string hint, TensorProto.Types.DataType type, ReadOnlySpan<byte> data, params long[] dims)
    {
        var t = new TensorProto { Name = Fresh(hint), DataType = (int)type };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(data);
        _graph.Initializer.Add(t);
        return new OnnxValue(this, t.Name);
    }

    /// <summary>A float scalar constant (rank 0, broadcasts against anything); equal values share one initializer.</summary>
    public OnnxValue Scalar(double value)
    {
        float f = (float)value;
        int bits = BitConverter.SingleToInt32Bits(f);
        if (_scalars.TryGetValue(bits, out var v)) return v;
        var t = new TensorProto { Name = Fresh("c"), DataType = (int)TensorProto.Types.DataType.Float };
        t.FloatData.Add(f);
        _graph.Initializer.Add(t);
        return _scalars[bits] = new OnnxValue(this, t.Name);
    }

    /// <summary>Appends node <paramref name="op"/> (domain ai.onnx) and returns its single output.</summary>
    public OnnxValue Node(string op, OnnxValue[] inputs, IEnumerable<AttributeProto>? attributes = null, string? outputName = null)
    {
        var n = new NodeProto { OpType = op, Name = Fresh(op) };
        foreach (var i in inputs)
        {
            if (!ReferenceEquals(i.Builder, this)) throw new ArgumentException($"{op}: an input belongs to another graph.", nameof(inputs));
            n.Input.Add(i.Name);
        }
        string output = outputName ?? n.Name;
        n.Output.Add(output);
        if (attributes is not null) n.Attribute.AddRange(attributes);
        _graph.Node.Add(n);
        _opCounts[op] = _opCounts.GetValueOrDefault(op) + 1;
        return new OnnxValue(this, output);
    }

    /// <summary>Node with one float attribute.</summary>
    public OnnxValue Node(string op, OnnxValue x, params (string Name, float Value)[] floats) =>
        Node(op, [x], floats.Select(a => FloatAttr(a.Name, a.Value)));

    /// <summary>A float attribute.</summary>
    public static AttributeProto FloatAttr(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>An int attribute.</summary>
    public static AttributeProto IntAttr(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>An ints attribute.</summary>
    public static AttributeProto IntsAttr(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>A string attribute.</summary>
    public static AttributeProto StringAttr(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };
}
