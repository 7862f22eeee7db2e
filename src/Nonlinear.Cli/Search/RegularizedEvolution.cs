using Nonlinear.Tensors;

namespace Nonlinear.Cli.Search;

/// <summary>A screened candidate: its formula and fitness (held-out accuracy of the short training run).</summary>
internal sealed record Evaluated(Candidate Candidate, string Formula, double Fitness);

/// <summary>
/// Regularized (aging) evolution, Real, Aggarwal, Huang and Le, "Regularized Evolution for Image Classifier Architecture
/// Search" (2019), in place of the RNN controller trained by reinforcement learning in Ramachandran et al. (2017): the first
/// <c>population</c> proposals are random; after that each proposal samples <c>sample</c> members of the population, takes
/// the fittest and mutates one primitive; every reported result joins the population and the oldest member leaves it (so a
/// lucky early score cannot dominate forever). Proposals and reports may interleave (asynchronous workers).
/// </summary>
internal sealed class RegularizedEvolution
{
    private readonly SearchSpace _space;
    private readonly int _size, _sample;
    private readonly Rng _rng;
    private readonly Queue<Evaluated> _population = new();
    private int _proposed;

    /// <summary>An empty population.</summary>
    /// <param name="space">Where candidates come from.</param>
    /// <param name="population">Population size P (≥ 2).</param>
    /// <param name="sample">Tournament size S (1 … P).</param>
    /// <param name="rng">Seeded source for sampling and mutation.</param>
    public RegularizedEvolution(SearchSpace space, int population, int sample, Rng rng)
    {
        if (population < 2) throw new InvalidInputException($"--population must be ≥ 2; got {population}.", nameof(population));
        if (sample < 1 || sample > population) throw new InvalidInputException($"--sample must be in [1, --population = {population}]; got {sample}.", nameof(sample));
        (_space, _size, _sample, _rng) = (space, population, sample, rng);
    }

    /// <summary>The population, oldest first.</summary>
    public IReadOnlyCollection<Evaluated> Population => _population;

    /// <summary>
    /// The next candidate to evaluate: random while the initial population is being filled, otherwise a mutation of the
    /// tournament winner; null when the initial proposals are all out and none has reported yet (wait for one).
    /// </summary>
    public Candidate? Propose()
    {
        if (_proposed < _size)
        {
            _proposed++;
            return _space.Random(_rng);
        }
        if (_population.Count == 0) return null;
        _proposed++;
        return _space.Mutate(Tournament(), _rng);
    }

    /// <summary>A fresh random candidate (used when mutations keep landing on known or invalid functions).</summary>
    public Candidate Random() => _space.Random(_rng);

    /// <summary>Another mutation of the current tournament winner (or a random candidate before any result).</summary>
    public Candidate Retry(Candidate previous) =>
        _population.Count == 0 ? _space.Random(_rng) : _rng.NextInt(2) == 0 ? _space.Mutate(previous, _rng) : _space.Mutate(Tournament(), _rng);

    private Candidate Tournament()
    {
        var members = _population.ToArray();
        // S distinct members, uniformly (a partial Fisher–Yates shuffle).
        int s = Math.Min(_sample, members.Length);
        for (int i = 0; i < s; i++)
        {
            int j = i + _rng.NextInt(members.Length - i);
            (members[i], members[j]) = (members[j], members[i]);
        }
        return members.Take(s).MaxBy(m => m.Fitness)!.Candidate;
    }

    /// <summary>Adds a result to the population; the oldest member leaves once it is over size.</summary>
    public void Report(Evaluated e)
    {
        _population.Enqueue(e);
        while (_population.Count > _size) _population.Dequeue();
    }
}
