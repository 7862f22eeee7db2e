using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Nonlinear.Activations;
using Nonlinear.Store;

namespace Nonlinear.Dashboard;

/// <summary>
/// The JSON the page reads. Each request opens the store read-only on its own connection (requests run in parallel;
/// a store connection is single-threaded). Non-finite metrics become null (JSON has no NaN). A store row that cannot be
/// read answers 500 with the reason as text; the page shows it as text.
/// </summary>
internal static class DashboardApi
{
    public static void Map(WebApplication app, StoreUrl url)
    {
        app.MapGet("/api/runs", (HttpRequest q) => With(url, s =>
        {
            int limit = int.TryParse(q.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out int l) ? Math.Clamp(l, 1, 10_000) : 500;
            long? study = null;
            if (q.Query["study"].ToString() is { Length: > 0 } name)
            {
                if (s.FindStudy(name) is not { } st) return Results.NotFound(new { error = $"no study '{name}'" });
                study = st.Id;
            }
            var filter = new RunFilter
            {
                Status = Opt(q, "status"), Kind = Opt(q, "kind"), Activation = Opt(q, "activation"), Model = Opt(q, "model"),
                Data = Opt(q, "data"), StudyId = study, Limit = limit,
            };
            return Results.Json(s.ListRuns(filter).Select(Summary).ToList());
        }));
        app.MapGet("/api/runs/{id:long}", (long id) => With(url, s =>
        {
            if (s.GetRun(id) is not { } r) return Results.NotFound(new { error = $"no run {id}" });
            return Results.Json(new
            {
                run = Summary(r), config = r.Config, environment = r.Environment, checkpoint = r.Checkpoint,
                epochs = s.Epochs(id).Select(e => new { epoch = e.Epoch, metrics = Finite(e.Metrics) }).ToList(),
            });
        }));
        app.MapGet("/api/studies", () => With(url, s => Results.Json(s.Studies().Select(st =>
        {
            var trials = s.Trials(st.Id);
            return new
            {
                name = st.Name, created = st.Created, trials = trials.Count,
                completed = trials.Count(t => t.Status == TrialStatus.Completed), running = trials.Count(t => t.Status == TrialStatus.Running),
                failed = trials.Count(t => t.Status == TrialStatus.Failed),
                table = StudyTable.Rows(trials).ToList(),
            };
        }).ToList())));   // materialised here: the store closes before the response is serialised
        app.MapGet("/api/activations", () => Results.Json(ActivationCatalog.All.Select(e => new { name = e.Info.Name, family = e.Info.Family, formula = e.Info.Formula })));
        app.MapGet("/api/activations/curve", (string? spec, double? from, double? to) =>
        {
            Activation act;
            try { act = ActivationCatalog.Parse(spec ?? ""); }
            catch (InvalidInputException e) { return Results.BadRequest(new { error = e.Message }); }
            double a = from ?? -4, b = to ?? 4;
            if (!(double.IsFinite(a) && double.IsFinite(b) && a < b && b - a <= 1e6)) return Results.BadRequest(new { error = $"expected finite from < to; got {a}, {b}" });
            var xs = Enumerable.Range(0, 201).Select(i => a + (b - a) * i / 200).ToArray();
            return Results.Json(new { spec = act.ToString(), x = xs, f = xs.Select(x => Num(act.Reference(x))), df = xs.Select(x => Num(act.ReferenceDerivative(x))) });
        });
    }

    private static IResult With(StoreUrl url, Func<RunStore, IResult> read)
    {
        try
        {
            using var s = RunStore.Open(url, readOnly: true);
            return read(s);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidInputException or System.Data.Common.DbException)
        {
            return Results.Text($"the store cannot be read: {e.Message}", "text/plain; charset=utf-8", statusCode: 500);
        }
    }

    private static string? Opt(HttpRequest q, string key) => q.Query[key].ToString() is { Length: > 0 } v ? v : null;

    private static object Summary(StoredRun r) => new
    {
        id = r.Id, kind = r.Kind, status = r.Status, name = r.Name, data = r.Data, model = r.Model, activation = r.Activation,
        seed = r.Seed, started = r.Started, finished = r.Finished, final = Finite(r.Final), study = r.StudyId, trial = r.TrialId,
    };

    internal static Dictionary<string, double?> Finite(IReadOnlyDictionary<string, double> m) => m.ToDictionary(kv => kv.Key, kv => Num(kv.Value));

    internal static double? Num(double v) => double.IsFinite(v) ? v : null;
}

/// <summary>A study's compare table: per data × model × activation, mean ± std of the completed trials' final test accuracy and loss.</summary>
internal static class StudyTable
{
    public static IEnumerable<object> Rows(IReadOnlyList<Trial> trials) =>
        trials.Where(t => t.Status == TrialStatus.Completed)
              .GroupBy(t => (Data: t.Config.GetValueOrDefault("data", ""), Model: t.Config.GetValueOrDefault("model", ""), Act: t.Config.GetValueOrDefault("activation", "")))
              .Select(g =>
              {
                  var acc = g.Select(t => t.Result.GetValueOrDefault("test_accuracy", double.NaN)).ToList();
                  var loss = g.Select(t => t.Result.GetValueOrDefault("test_loss", double.NaN)).ToList();
                  return new
                  {
                      data = g.Key.Data, model = g.Key.Model, activation = g.Key.Act.Length == 0 ? "none" : g.Key.Act, runs = acc.Count,
                      accuracy = DashboardApi.Num(acc.Average()), accuracy_std = DashboardApi.Num(Std(acc)), loss = DashboardApi.Num(loss.Average()),
                  };
              })
              .OrderBy(r => r.data).ThenBy(r => r.model).ThenByDescending(r => r.accuracy ?? double.NegativeInfinity);

    private static double Std(List<double> v)
    {
        if (v.Count < 2) return 0;
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Count - 1));
    }
}
