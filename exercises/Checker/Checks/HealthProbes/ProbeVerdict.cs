using Lab.Checker.Sql;
using Lab.Checker.Verification;

namespace Lab.Checker.Checks.HealthProbes;

/// <summary>
/// Judges exercise 10's run: what the probes said in each state against what a service with a private database, a
/// shared broker and an optional cache should say, the first thing wrong in the learner's terms, and the table of
/// state × probe.
/// </summary>
public static class ProbeVerdict
{
    public static CheckResult Judge(IReadOnlyList<StateResult> states, (long Database, long Cache) idle, (long Database, long Cache) liveOnly, string? crashed)
    {
        var table = Table(states);
        if (crashed is not null)
        {
            return CheckResult.Fail(new Report().Failure("The service stopped during the check:").Evidence(crashed.Split('\n').Take(6), 4)
                .Line("  A health check reports a problem; it never ends the process.").Blank().Append(table));
        }

        var problem = Problem(states, idle, liveOnly);
        if (problem is not null)
        {
            return CheckResult.Fail(problem.Blank().Append(table));
        }

        var slowest = states.Max(state => state.Slowest);
        return CheckResult.Pass(new Report()
            .Success("Liveness answered 200 in every state: it depends on nothing outside the process, and asked no dependency.")
            .Success("Readiness failed while the private database was stopped or hung and while a migration was missing, and")
            .Line("  only then; with Kafka or Redis down it stayed ready and said Degraded; every dependency that came back was seen.")
            .Success($"Every probe answered within {PlanText.Milliseconds(slowest.TotalMilliseconds)}, also while a dependency hung " +
                $"(the checker allows {ProbeRun.ProbeBound.TotalSeconds:0} s; Kubernetes' default is 1 s).")
            .Append(table)
            .Blank()
            .Line("What you learned: liveness answers \"should this process be restarted?\" and restarting fixes nothing outside")
            .Line("it, so it checks nothing outside it. Readiness answers \"should this instance get traffic?\": not without its own")
            .Line("database, not with a schema older than its code; but a dependency that every instance shares (the broker) or")
            .Line("that it can do without (the cache) makes it degraded, never unready, or one hiccup takes every instance out of")
            .Line("rotation at once. And a probe has a deadline: a check that waits for a hanging server must give up first.")
            .Line("The full-size version: ServiceDefaults (MapDefaultEndpoints, the schema check) and services/Chirp.Api/Health/.")
            .Line("Read more: https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/,")
            .Line("  https://learn.microsoft.com/aspnet/core/host-and-deploy/health-checks"));
    }

    private static Report? Problem(IReadOnlyList<StateResult> states, (long Database, long Cache) idle, (long Database, long Cache) liveOnly)
    {
        var deadLive = states.Where(state => state.WorstLive.Status is not 200 and not 0)
            .OrderBy(state => state.State.Dependency switch { "database" => 0, "kafka" => 1, "cache" => 2, "schema" => 3, _ => 4 })
            .FirstOrDefault();
        if (deadLive is not null)
        {
            var worst = deadLive.WorstLive;
            var what = deadLive.State.Dependency switch
            {
                "schema" => "A restart does not run the missing migration",
                "kafka" => "A restart does not bring Kafka back",
                "cache" => "A restart does not bring Redis back",
                _ => "A restart does not bring the database back",
            };
            return new Report()
                .Failure($"/health/live answered {worst.Text} while {Describe(deadLive.State)}.")
                .Line("  A failing liveness probe makes the orchestrator restart the process.")
                .Line($"  {what}, so every instance restarts, again and again: the restart loop of the story, on top of the")
                .Line("  outage. Liveness checks the process alone (a check that always says Healthy, tagged \"live\"); leave the")
                .Line("  dependencies to readiness.");
        }

        if (states.FirstOrDefault(state => state.Live.Any(answer => !answer.Answered || answer.Took > ProbeRun.ProbeBound)) is { } slowLive)
        {
            var slowest = slowLive.Live.MaxBy(answer => answer.Took)!;
            return new Report()
                .Failure($"/health/live took {Took(slowest)} while {Describe(slowLive.State)}.")
                .Line("  The orchestrator counts a probe that does not answer in time as failed, and restarts the process. A restart")
                .Line("  fixes nothing outside it, so every instance restarts, again and again: the restart loop of the story, on")
                .Line("  top of the outage. Liveness checks the process alone (a check that always says Healthy, tagged \"live\");")
                .Line("  leave the dependencies to readiness, each with a deadline.");
        }

        if (liveOnly.Database > idle.Database + 64 || liveOnly.Cache > idle.Cache + 64)
        {
            var which = liveOnly.Database > idle.Database + 64 ? "PostgreSQL" : "Redis";
            return new Report()
                .Failure($"/health/live talks to {which}: while the checker called only the liveness probe, {PlanText.Bytes(Math.Max(liveOnly.Database - idle.Database, liveOnly.Cache - idle.Cache))} went to it.")
                .Line("  It says 200 even when that fails, but it still waits for it (and a hanging server makes it slow). Liveness")
                .Line("  checks the process alone: tag only a check that touches nothing outside it \"live\".");
        }

        var shared = states.Where(state => state.State.Degraded).FirstOrDefault(state => state.Ready.Any(answer => answer.Status == 503));
        if (shared is not null)
        {
            var (who, why) = shared.State.Dependency == "kafka"
                ? ("Kafka", "Every instance of every service shares that cluster: one broker hiccup and all of them leave the load balancer\n  at once, the outage in the story. With Kafka down the service still serves reads and keeps its events until it\n  is back:")
                : ("Redis", "Redis only makes reads faster; without it the service reads the database. Taking the instance out of rotation\n  turns a slower service into no service:");
            return new Report()
                .Failure($"/health/ready answered 503 while {Describe(shared.State)}: the instance left the rotation because of {who}.")
                .Line($"  {why}")
                .Line($"  report Degraded (200), not Unhealthy: failureStatus: HealthStatus.Degraded, or return HealthCheckResult.Degraded(...).");
        }

        if (states.FirstOrDefault(state => state.Ready.Any(answer => !answer.Answered || answer.Took > ProbeRun.ProbeBound)) is { } slow)
        {
            var slowest = slow.Ready.MaxBy(answer => answer.Took)!;
            return new Report()
                .Failure($"/health/ready took {Took(slowest)} while {Describe(slow.State)} (the checker allows {ProbeRun.ProbeBound.TotalSeconds:0} s).")
                .Line("  The orchestrator gives a probe a second or so and then counts it as failed, whatever the answer would have been;")
                .Line("  meanwhile every probe holds a request and a connection. A hanging server never says no: bound each check")
                .Line("  yourself (the timeout: argument of AddCheck, and a check that honours its token, or .WaitAsync(timeout)), and")
                .Line("  treat running out of time as the dependency being down.");
        }

        if (states.FirstOrDefault(state => state.State.Dependency == "database" && state.Ready.All(answer => answer.Status == 200)) is { } noDatabase)
        {
            return new Report()
                .Failure($"/health/ready answered 200 while {Describe(noDatabase.State)}.")
                .Line("  The database is this service's own: without it, no request can succeed. Readiness must fail (Unhealthy, 503),")
                .Line("  so that the load balancer sends the traffic to instances that can serve it.");
        }

        if (states.FirstOrDefault(state => state.State.Dependency == "schema" && state.Ready.All(answer => answer.Status == 200)) is { } behind)
        {
            return new Report()
                .Failure($"/health/ready answered 200 while {Describe(behind.State)}.")
                .Line("  This build's queries need migration RequiredSchemaVersion; until it has run, they fail. Not ready until")
                .Line("  schema_migrations has it (SELECT max(version) FROM schema_migrations >= dependencies.RequiredSchemaVersion).");
        }

        if (states.FirstOrDefault(state => state.State.Degraded && state.Ready.All(answer => answer.Body == "Healthy")) is { } silent)
        {
            return new Report()
                .Failure($"/health/ready said Healthy while {Describe(silent.State)}.")
                .Line("  Stay ready, but say so: Degraded (still 200) tells whoever looks at the instance that something it uses is down.");
        }

        if (states.FirstOrDefault(state => !state.Settled) is { } unsettled)
        {
            var expected = unsettled.State.Ready ? unsettled.State.Degraded ? "200 Degraded" : "200 Healthy" : "503";
            var report = new Report()
                .Failure($"{Char.ToUpperInvariant(Describe(unsettled.State)[0])}{Describe(unsettled.State)[1..]}, /health/ready should answer {expected}; it kept answering {unsettled.LastReady.Text}.");
            return unsettled.State.Dependency is null && unsettled.State.Name.EndsWith("back", StringComparison.Ordinal)
                ? report.Line("  The dependency is back, and readiness did not follow within 8 s: does a check keep a broken connection, or")
                    .Line("  remember a failure for good?")
                : unsettled.State.Name.StartsWith("schema ahead", StringComparison.Ordinal)
                    ? report.Line("  A newer migration ran (a newer release is rolling out, or was rolled back): this build still works with")
                        .Line("  it, expand and contract keep schemas compatible. Ready when the schema has at least what this build needs.")
                    : report.Line("  Compare the table below with what each state needs.");
        }

        return null;
    }

    private static Report Table(IReadOnlyList<StateResult> states)
    {
        var report = new Report().Line("  What the probes answered (the last answer in each state, and the slowest time of each probe):")
            .Line($"    {"state",-46} {"/health/live",-24} {"/health/ready",-24}");
        foreach (var state in states)
        {
            var live = state.WorstLive;
            var ready = state.LastReady;
            var mark = state.Settled && state.Live.All(answer => answer.Status == 200 && answer.Took <= ProbeRun.ProbeBound) ? "✓" : "✗";
            report.Line($"  {mark} {state.State.Name,-46} {Cell(live, state.Live),-24} {Cell(ready, state.Ready),-24}");
        }

        return report;
    }

    private static string Cell(ProbeAnswer answer, IReadOnlyList<ProbeAnswer> all) =>
        $"{answer.Text} {PlanText.Milliseconds(all.Max(sample => sample.Took).TotalMilliseconds)}";

    private static string Took(ProbeAnswer answer) =>
        answer.Answered ? PlanText.Milliseconds(answer.Took.TotalMilliseconds) : $"more than {ProbeRun.HttpTimeout.TotalSeconds:0} s (no answer)";

    private static string Describe(ProbeState state) => state.Name switch
    {
        var name when name.StartsWith("schema behind", StringComparison.Ordinal) => $"the schema was one migration behind the code {name[14..]}",
        var name when name.EndsWith("stopped", StringComparison.Ordinal) => $"{name[..name.IndexOf(' ', StringComparison.Ordinal)]} was stopped",
        var name when name.EndsWith("hangs", StringComparison.Ordinal) => $"{name[..name.IndexOf(' ', StringComparison.Ordinal)]} hung (accepting connections, never answering)",
        "Kafka down" => "every Kafka broker was down",
        var name when name.EndsWith("back", StringComparison.Ordinal) => $"{name[..name.IndexOf(' ', StringComparison.Ordinal)]} was back",
        var name => $"in state \"{name}\"",
    };
}
