using System.CommandLine;
using System.Globalization;
using Audit.Benchmarks;
using Sandbox.Testing;

var eventsOption = new Option<int>("--events") { Description = "Events for the ingest run.", DefaultValueFactory = _ => 100_000 };
var actorsOption = new Option<int>("--actors") { Description = "Actors (Kafka keys) in the ingest run.", DefaultValueFactory = _ => 1_000 };
var searchRowsOption = new Option<string>("--search-rows")
{
    Description = "Comma-separated sizes of the generated log for the search run, e.g. 1000000,10000000.",
    DefaultValueFactory = _ => "1000000",
};
var queriesOption = new Option<int>("--queries") { Description = "Searches per shape through the service's code.", DefaultValueFactory = _ => 2_000 };
var secondsOption = new Option<int>("--pgbench-seconds") { Description = "Duration of each pgbench run.", DefaultValueFactory = _ => 10 };
var clientsOption = new Option<int>("--pgbench-clients") { Description = "pgbench clients for the insert runs.", DefaultValueFactory = _ => 4 };
var skipIngestOption = new Option<bool>("--skip-ingest") { Description = "Only the search run." };
var skipSearchOption = new Option<bool>("--skip-search") { Description = "Only the ingest run." };
var keepOption = new Option<bool>("--keep") { Description = "Keep the benchmark databases (a kept search database of the same size is reused by the next run)." };
var markdownOption = new Option<string?>("--markdown") { Description = "Also write the results as Markdown to this file." };

var root = new RootCommand("Audit.Service benchmarks: ingest throughput and search latency, each beside pgbench on the same database.")
{
    eventsOption, actorsOption, searchRowsOption, queriesOption, secondsOption, clientsOption, skipIngestOption, skipSearchOption, keepOption, markdownOption,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var settings = new BenchmarkSettings(
        Ingest: !parse.GetValue(skipIngestOption),
        Events: parse.GetValue(eventsOption),
        Actors: parse.GetValue(actorsOption),
        Search: !parse.GetValue(skipSearchOption),
        SearchRows: [.. parse.GetValue(searchRowsOption)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(size => long.Parse(size, CultureInfo.InvariantCulture))],
        Queries: parse.GetValue(queriesOption),
        PgbenchSeconds: parse.GetValue(secondsOption),
        PgbenchClients: parse.GetValue(clientsOption),
        KeepDatabases: parse.GetValue(keepOption),
        MarkdownPath: parse.GetValue(markdownOption));
    var auditDb = SandboxEnvironment.ConnectionString("auditdb");
    var kafka = SandboxEnvironment.ConnectionString("kafka");
    var log = Console.Out;
    var machine = await Machine.DescribeAsync(auditDb);
    log.WriteLine(machine);

    IngestResult? ingest = settings.Ingest ? await IngestBenchmark.RunAsync(settings, auditDb, kafka, log) : null;
    var searches = new List<SearchResult>();
    if (settings.Search)
    {
        foreach (var rows in settings.SearchRows)
        {
            searches.Add(await SearchBenchmark.RunAsync(settings, rows, auditDb, kafka, log));
        }
    }

    var markdown = Report.Markdown(machine, "dotnet run -c Release --project benchmarks/Audit.Benchmarks -- " + string.Join(' ', args), ingest, searches);
    log.WriteLine();
    log.WriteLine(markdown);
    if (settings.MarkdownPath is { } path)
    {
        await File.WriteAllTextAsync(path, markdown, cancellationToken);
    }

    return 0;
});

return await root.Parse(args).InvokeAsync();
