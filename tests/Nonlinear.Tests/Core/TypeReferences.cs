using System.Reflection;
using System.Reflection.Emit;

namespace Nonlinear.Tests.Core;

/// <summary>
/// The types one type uses: its base type and interfaces, the types of its fields, properties and method
/// signatures, and every type, method or field token in its method bodies' IL (calls, allocations, casts, field
/// reads) — so a dependency used only inside a method body is found too. Reflection only, no package.
/// </summary>
public static class TypeReferences
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    // Operand size of each IL opcode, and whether the operand is a metadata token.
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Every type <paramref name="type"/> refers to, generic arguments and element types unwrapped.</summary>
    public static HashSet<Type> Of(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null) return;
            if (t.HasElementType) { Add(t.GetElementType()); return; }
            if (t.IsGenericParameter) return;
            if (t.IsGenericType)
            {
                foreach (var a in t.GetGenericArguments()) Add(a);
                t = t.GetGenericTypeDefinition();
            }
            found.Add(t);
        }
        Add(type.BaseType);
        foreach (var i in type.GetInterfaces()) Add(i);
        foreach (var f in type.GetFields(All)) Add(f.FieldType);
        foreach (var p in type.GetProperties(All)) Add(p.PropertyType);
        foreach (var m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (m is MethodInfo mi) Add(mi.ReturnType);
            foreach (var p in m.GetParameters()) Add(p.ParameterType);
            var body = m.GetMethodBody();
            if (body is null) continue;
            foreach (var l in body.LocalVariables) Add(l.LocalType);
            foreach (var member in IlTokens(m, body.GetILAsByteArray()!))
            {
                switch (member)
                {
                    case Type t: Add(t); break;
                    case MethodBase callee:
                        Add(callee.DeclaringType);
                        if (callee is MethodInfo cm) { Add(cm.ReturnType); foreach (var a in cm.IsGenericMethod ? cm.GetGenericArguments() : []) Add(a); }
                        break;
                    case FieldInfo field: Add(field.DeclaringType); Add(field.FieldType); break;
                }
            }
        }
        return found;
    }

    private static IEnumerable<MemberInfo> IlTokens(MethodBase method, byte[] il)
    {
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineType:
                case OperandType.InlineTok:
                    int token = BitConverter.ToInt32(il, i);
                    MemberInfo? member = null;
                    try { member = method.Module.ResolveMember(token, typeArgs, methodArgs); }
                    catch (ArgumentException) { }   // a token of a generic context this scan cannot supply
                    if (member is not null) yield return member;
                    i += 4;
                    break;
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar: i += 1; break;
                case OperandType.InlineVar: i += 2; break;
                case OperandType.InlineI8:
                case OperandType.InlineR: i += 8; break;
                case OperandType.InlineSwitch: i += 4 + 4 * BitConverter.ToInt32(il, i); break;
                default: i += 4; break;   // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR
            }
        }
    }
}
