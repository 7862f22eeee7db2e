using System.Buffers;
using Nonlinear.Kernels;
using Nonlinear.Symbolic;

namespace Nonlinear.Activations.Formula;

/// <summary>
/// An <see cref="Expr"/> compiled to a tape for span evaluation: a list of instructions (−a, a∘b, f(a)), each run as one SIMD
/// loop over a block of <see cref="Block"/> elements held in a few scratch registers that stay in L1. Repeated subtrees are
/// computed once (x·σ(x)·σ(x) reads one σ(x)); constant subtrees are folded in double; registers are reused as soon as
/// their last reader has run; the last instruction writes the output span directly. One program serves every SIMD tier
/// with the same bits, since every op is lane-wise and the vector math is tier-exact.
/// </summary>
internal sealed class FormulaProgram
{
    /// <summary>Elements per block: with a handful of registers the working set stays within a 32 KB L1.</summary>
    public const int Block = 1024;

    private enum Op : byte { Copy, Neg, Add, Sub, Mul, Div, Pow, Fn, TanhSoftplus }

    private enum Source : byte { Input, Register, Constant }

    private readonly record struct Operand(Source Source, int Index);

    private readonly record struct Instruction(Op Op, MathFunction Function, Operand A, Operand B, int Out);

    private readonly Instruction[] _code;
    private readonly float[] _constants;
    private readonly int _registers;

    /// <summary>Variables the program reads (x, or x and the upstream gradient).</summary>
    public int Inputs { get; }

    /// <summary>Instructions on the tape.</summary>
    public int Length => _code.Length;

    /// <summary>Compiles <paramref name="e"/> over variables 0 … <paramref name="inputs"/> − 1.</summary>
    public FormulaProgram(Expr e, int inputs)
    {
        Inputs = inputs;
        var emit = new Emitter();
        var result = emit.Emit(e);
        if (result.Source != Source.Register) result = emit.Add(Op.Copy, default, result, default);
        (_code, _registers) = Allocate(emit.Code, result.Index);
        _constants = [.. emit.Constants];
    }

    private sealed class Emitter
    {
        public readonly List<(Op Op, MathFunction F, Operand A, Operand B)> Code = [];
        public readonly List<float> Constants = [];
        private readonly Dictionary<Expr, Operand> _seen = [];

        public Operand Add(Op op, MathFunction f, Operand a, Operand b)
        {
            Code.Add((op, f, a, b));
            return new Operand(Source.Register, Code.Count - 1);
        }

        public Operand Emit(Expr e)
        {
            if (_seen.TryGetValue(e, out var known)) return known;
            Operand r;
            if (e.VariableCount == 0)
            {
                Constants.Add((float)e.Evaluate([]));
                r = new Operand(Source.Constant, Constants.Count - 1);
            }
            else r = e switch
            {
                Var v => new Operand(Source.Input, v.Index),
                Neg n => Add(Op.Neg, default, Emit(n.Arg), default),
                // Peephole: mish's gate tanh(softplus(u)) is one fused loop (FormulaKernels.TanhSoftplus), not three transcendental ones.
                Call { Function: MathFunction.Tanh, Arg: Call { Function: MathFunction.Softplus } inner } => Add(Op.TanhSoftplus, default, Emit(inner.Arg), default),
                Call c => Add(Op.Fn, c.Function, Emit(c.Arg), default),
                // u² and u³ as products: float u·u is the correctly rounded square, as (float)Math.Pow(u, 2) is.
                Binary { Op: BinaryOp.Pow, Right: Const { Value: 2 } } b => Square(Emit(b.Left)),
                Binary { Op: BinaryOp.Pow, Right: Const { Value: 3 } } b => Cube(Emit(b.Left)),
                Binary b => Add(b.Op switch
                {
                    BinaryOp.Add => Op.Add, BinaryOp.Sub => Op.Sub, BinaryOp.Mul => Op.Mul, BinaryOp.Div => Op.Div, _ => Op.Pow,
                }, default, Emit(b.Left), Emit(b.Right)),
                _ => throw new ArgumentException($"unknown expression node {e.GetType().Name}.", nameof(e)),
            };
            _seen[e] = r;
            return r;
        }

        private Operand Square(Operand u) => Add(Op.Mul, default, u, u);
        private Operand Cube(Operand u) => Add(Op.Mul, default, Square(u), u);
    }

    // Linear scan: a value's register is free once its last reader has run, and the reader may write its result there
    // (every op is lane-wise: it reads lane i before it writes lane i). The result goes to the output (Out = −1).
    private static (Instruction[], int) Allocate(List<(Op Op, MathFunction F, Operand A, Operand B)> code, int result)
    {
        var lastUse = new int[code.Count];
        for (int i = 0; i < code.Count; i++)
        {
            if (code[i].A.Source == Source.Register) lastUse[code[i].A.Index] = i;
            if (code[i].B.Source == Source.Register) lastUse[code[i].B.Index] = i;
        }
        var slot = new int[code.Count];
        var free = new Stack<int>();
        int registers = 0;
        var outCode = new Instruction[code.Count];
        for (int i = 0; i < code.Count; i++)
        {
            var (op, f, a, b) = code[i];
            Operand Map(Operand o) => o.Source == Source.Register ? o with { Index = slot[o.Index] } : o;
            var ma = Map(a);
            var mb = Map(b);
            if (a.Source == Source.Register && lastUse[a.Index] == i) free.Push(slot[a.Index]);
            if (b.Source == Source.Register && lastUse[b.Index] == i && !(a == b)) free.Push(slot[b.Index]);
            slot[i] = i == result ? -1 : free.Count > 0 ? free.Pop() : registers++;
            outCode[i] = new Instruction(op, f, ma, mb, slot[i]);
        }
        return (outCode, registers);
    }

    /// <summary>y[i] = e(inputs[0][i], inputs[1][i]); y may be the memory of an input. Large spans are split across threads.</summary>
    public void Run(ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, Span<float> y, SimdTier tier)
    {
        if (x0.Length != y.Length) throw new ArgumentException($"y has length {y.Length}; expected {x0.Length} (the input's length).", nameof(y));
        if (Inputs > 1 && x1.Length != y.Length) throw new ArgumentException($"the second input has length {x1.Length}; expected {y.Length}.", nameof(x1));
        if (y.Length >= UnaryDriver.ParallelThreshold && Parallelism.MaxThreads > 1) RunParallel(x0, x1, y, tier);
        else RunSerial(x0, x1, y, tier);
    }

    private unsafe void RunParallel(ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, Span<float> y, SimdTier tier)
    {
        int n = y.Length;
        // Block-aligned chunks, a fixed function of the length and thread budget (never of scheduling).
        int chunks = Math.Min(Parallelism.MaxThreads * 4, Math.Max(1, n / (UnaryDriver.ParallelThreshold / 4)));
        long per = ((long)n / chunks + Block - 1) / Block * Block;
        bool two = Inputs > 1;
        fixed (float* p0 = x0, p1 = x1, py = y)
        {
            nint a0 = (nint)p0, a1 = (nint)p1, ay = (nint)py;
            Parallelism.For(chunks, c =>
            {
                long s = Math.Min(n, per * c), e = c == chunks - 1 ? n : Math.Min(n, per * (c + 1));
                int len = (int)(e - s);
                RunSerial(new ReadOnlySpan<float>((float*)a0 + s, len), two ? new ReadOnlySpan<float>((float*)a1 + s, len) : default,
                    new Span<float>((float*)ay + s, len), tier);
            });
        }
    }

    private void RunSerial(ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, Span<float> y, SimdTier tier)
    {
        float[] scratch = ArrayPool<float>.Shared.Rent(Math.Max(1, _registers * Block));
        try
        {
            for (int start = 0; start < y.Length; start += Block)
            {
                int len = Math.Min(Block, y.Length - start);
                var b0 = x0.Slice(start, len);
                var b1 = Inputs > 1 ? x1.Slice(start, len) : default;
                var by = y.Slice(start, len);
                switch (Simd.Resolve(tier))
                {
                    // Unary loops as UnaryDriver runs them (two AVX2 registers per step on the 256-bit tier); binary ones as BinaryDriver.
                    case SimdTier.Vec512: RunBlock<Vec512, Vec512>(b0, b1, by, scratch); break;
                    case SimdTier.Vec256: RunBlock<Vec256x2, Vec256>(b0, b1, by, scratch); break;
                    case SimdTier.Vec128: RunBlock<Vec128, Vec128>(b0, b1, by, scratch); break;
                    default: RunBlock<Scalar, Scalar>(b0, b1, by, scratch); break;
                }
            }
        }
        finally { ArrayPool<float>.Shared.Return(scratch); }
    }

    private void RunBlock<VU, VB>(ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, Span<float> y, float[] scratch)
        where VU : struct, ISimdVec<VU> where VB : struct, ISimdVec<VB>
    {
        int n = y.Length;
        foreach (var ins in _code)
        {
            Span<float> o = ins.Out < 0 ? y : scratch.AsSpan(ins.Out * Block, n);
            ReadOnlySpan<float> a = Read(ins.A, x0, x1, scratch, n, out int sa);
            switch (ins.Op)
            {
                case Op.Copy: if (sa == 0) o.Fill(a[0]); else a.CopyTo(o); break;
                case Op.Neg: FormulaKernels.Negate<VU>(a, o); break;
                case Op.Fn: FormulaKernels.Apply<VU>(ins.Function, a, o); break;
                case Op.TanhSoftplus: FormulaKernels.TanhSoftplus<VU>(a, o); break;
                default:
                    ReadOnlySpan<float> b = Read(ins.B, x0, x1, scratch, n, out int sb);
                    switch (ins.Op)
                    {
                        case Op.Add: BinaryDriver.Core<AddKernel, VB>(default, a, b, o, sa, sb); break;
                        case Op.Sub: BinaryDriver.Core<SubKernel, VB>(default, a, b, o, sa, sb); break;
                        case Op.Mul: BinaryDriver.Core<MulKernel, VB>(default, a, b, o, sa, sb); break;
                        case Op.Div: BinaryDriver.Core<DivKernel, VB>(default, a, b, o, sa, sb); break;
                        default: FormulaKernels.Pow(a, sa, b, sb, o); break;
                    }
                    break;
            }
        }
    }

    private ReadOnlySpan<float> Read(Operand o, ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, float[] scratch, int n, out int stride)
    {
        stride = o.Source == Source.Constant ? 0 : 1;
        return o.Source switch
        {
            Source.Input => o.Index == 0 ? x0 : x1,
            Source.Register => scratch.AsSpan(o.Index * Block, n),
            _ => _constants.AsSpan(o.Index, 1),
        };
    }
}
