using Nonlinear.Activations;

namespace Nonlinear.Kan;

/// <summary>
/// The registry of KAN bases. A basis is one file that declares a <see cref="KanBasisDescriptor"/> plus one line in
/// the list below; code outside the library adds its own with <see cref="Register"/> (before it parses a spec that
/// names it). Names and aliases are unique, case-insensitive.
/// </summary>
public static class KanBases
{
    private static readonly Lock Gate = new();
    private static KanBasisDescriptor[] _all =
    [
        BSplineBasis.Descriptor,
        RbfBasis.Descriptor,
        FourierBasis.Descriptor,
        ChebyshevBasis.Descriptor,
    ];

    /// <summary>Every registered basis, built-ins first, in registration order.</summary>
    public static IReadOnlyList<KanBasisDescriptor> All => Volatile.Read(ref _all);

    /// <summary>Adds a basis (e.g. one declared in a test project or an application).</summary>
    /// <exception cref="ArgumentException">Its name or an alias is already taken.</exception>
    public static void Register(KanBasisDescriptor basis)
    {
        ArgumentNullException.ThrowIfNull(basis);
        lock (Gate)
        {
            var all = Volatile.Read(ref _all);
            foreach (var n in new[] { basis.Name }.Concat(basis.Aliases))
                if (Find(all, n) is { } taken)
                    throw new ArgumentException($"KAN basis name '{n}' is taken by '{taken.Name}'.", nameof(basis));
            Volatile.Write(ref _all, [.. all, basis]);
        }
    }

    /// <summary>The basis named <paramref name="name"/> or one of its aliases (case-insensitive), or null.</summary>
    public static KanBasisDescriptor? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Find(Volatile.Read(ref _all), name.Trim());
    }

    /// <summary>The basis named <paramref name="name"/> or one of its aliases (case-insensitive).</summary>
    /// <exception cref="InvalidInputException">Unknown name; the message suggests the closest and lists all.</exception>
    public static KanBasisDescriptor Get(string name) =>
        Find(name) ?? throw new InvalidInputException(NameSuggester.Message("KAN basis", name, All.Select(b => b.Name),
            "bases: " + string.Join("; ", All.Select(b => b.ToString()))), nameof(name));

    private static KanBasisDescriptor? Find(KanBasisDescriptor[] all, string name) =>
        all.FirstOrDefault(b => b.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
                                || b.Aliases.Any(a => a.Equals(name, StringComparison.OrdinalIgnoreCase)));
}
