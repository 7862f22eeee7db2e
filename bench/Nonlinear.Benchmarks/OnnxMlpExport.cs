using Nonlinear.Layers;

namespace Nonlinear.Benchmarks;

/// <summary>
/// Writes a stack of <see cref="Linear"/> layers with ReLU between them as a minimal ONNX model (opset 13:
/// MatMul, Add, Relu; float input "x" of shape [batch, in], output "y"), so ONNX Runtime runs the very weights
/// the Nonlinear model holds. The protobuf is encoded by hand (field numbers from onnx/onnx.proto), which keeps
/// the benchmark free of a code generator; only what these three operators need is written.
/// </summary>
public static class OnnxMlpExport
{
    public static byte[] Encode(IReadOnlyList<Linear> layers)
    {
        var graph = new Proto();
        string current = "x";
        for (int l = 0; l < layers.Count; l++)
        {
            var lin = layers[l];
            int fin = lin.InFeatures, fout = lin.OutFeatures;
            // ONNX MatMul is x·W with W [in, out]; Linear stores [out, in].
            var w = lin.Weight.ToArray();
            var wt = new float[fin * fout];
            for (int o = 0; o < fout; o++)
                for (int i = 0; i < fin; i++) wt[i * fout + o] = w[o * fin + i];
            graph.Message(5, Initializer($"w{l}", [fin, fout], wt));
            string mm = $"mm{l}";
            graph.Message(1, Node("MatMul", [current, $"w{l}"], mm));
            string sum = mm;
            if (lin.Bias is not null)
            {
                graph.Message(5, Initializer($"b{l}", [fout], lin.Bias.ToArray()));
                sum = $"add{l}";
                graph.Message(1, Node("Add", [mm, $"b{l}"], sum));
            }
            current = sum;
            if (l < layers.Count - 1)
            {
                graph.Message(1, Node("Relu", [sum], $"relu{l}"));
                current = $"relu{l}";
            }
        }
        // The last node's output is renamed through an Identity so the graph output is always "y".
        graph.Message(1, Node("Identity", [current], "y"));
        graph.String(2, "mlp");
        graph.Message(11, ValueInfo("x", layers[0].InFeatures));
        graph.Message(12, ValueInfo("y", layers[^1].OutFeatures));

        var opset = new Proto();
        opset.String(1, "");
        opset.Varint(2, 13);
        var model = new Proto();
        model.Varint(1, 8);               // ir_version 8 (ONNX 1.10+)
        model.String(2, "Nonlinear.Benchmarks");
        model.Message(7, graph);
        model.Message(8, opset);
        return model.ToArray();
    }

    private static Proto Node(string op, string[] inputs, string output)
    {
        var n = new Proto();
        foreach (var i in inputs) n.String(1, i);
        n.String(2, output);
        n.String(3, output + "_node");
        n.String(4, op);
        return n;
    }

    private static Proto Initializer(string name, int[] dims, float[] data)
    {
        var t = new Proto();
        foreach (int d in dims) t.Varint(1, (ulong)d);
        t.Varint(2, 1);                   // FLOAT
        t.String(8, name);
        var raw = new byte[data.Length * 4];
        Buffer.BlockCopy(data, 0, raw, 0, raw.Length);   // little-endian, as raw_data requires
        t.Bytes(9, raw);
        return t;
    }

    // [batch (symbolic), features]
    private static Proto ValueInfo(string name, int features)
    {
        var batch = new Proto();
        batch.String(2, "batch");
        var feat = new Proto();
        feat.Varint(1, (ulong)features);
        var shape = new Proto();
        shape.Message(1, batch);
        shape.Message(1, feat);
        var tensor = new Proto();
        tensor.Varint(1, 1);              // elem_type FLOAT
        tensor.Message(2, shape);
        var type = new Proto();
        type.Message(1, tensor);
        var vi = new Proto();
        vi.String(1, name);
        vi.Message(2, type);
        return vi;
    }

    /// <summary>The protobuf wire format: varints (type 0) and length-delimited fields (type 2).</summary>
    private sealed class Proto
    {
        private readonly MemoryStream _s = new();

        public void Varint(int field, ulong value)
        {
            Raw(((ulong)field << 3) | 0);
            Raw(value);
        }

        public void Bytes(int field, byte[] value)
        {
            Raw(((ulong)field << 3) | 2);
            Raw((ulong)value.Length);
            _s.Write(value);
        }

        public void String(int field, string value) => Bytes(field, System.Text.Encoding.UTF8.GetBytes(value));

        public void Message(int field, Proto value) => Bytes(field, value.ToArray());

        public byte[] ToArray() => _s.ToArray();

        private void Raw(ulong v)
        {
            while (v >= 0x80) { _s.WriteByte((byte)(v | 0x80)); v >>= 7; }
            _s.WriteByte((byte)v);
        }
    }
}
