using Snapshot.Job.Database;
using Snapshot.Job.Masking;

namespace Snapshot.Job.UnitTests;

/// <summary>The rules against a schema, as the job checks them before it copies anything.</summary>
public sealed class RulesCheckTests
{
    private static readonly TableName s_users = new("public", "users");
    private static readonly TableName s_outbox = new("public", "outbox");

    [Fact]
    public void The_shipped_rules_fit_appdb_as_migrated()
    {
        Assert.Empty(RulesCheck.Problems(Rules.Shipped(), AppDb()));
    }

    [Fact]
    public void A_column_the_rules_do_not_classify_is_named_with_what_to_do()
    {
        var catalog = AppDb(extra: [Column(s_users, "phone", "text")]);

        var problem = Assert.Single(RulesCheck.Problems(Rules.Shipped(), catalog));

        Assert.Equal("public.users.phone is not classified in rules/chirp.json: add it as \"keep\", a mask such as \"replace-text\", or \"null\".", problem);
    }

    [Fact]
    public void A_table_the_rules_do_not_classify_is_named()
    {
        var catalog = AppDb(extra: [Column(new TableName("public", "sessions"), "token", "text")]);

        var problem = Assert.Single(RulesCheck.Problems(Rules.Shipped(), catalog));

        Assert.StartsWith("public.sessions is not classified in rules/chirp.json", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_for_a_column_or_table_that_does_not_exist_is_an_error()
    {
        var catalog = new DatabaseCatalog(AppDb().Columns.Where(column => column.Column != "bio" && column.Table != new TableName("public", "chirps")).ToList(), []);

        var problems = RulesCheck.Problems(Rules.Shipped(), catalog);

        Assert.Contains("rules/chirp.json has a rule for public.users.bio, which does not exist in appdb: remove the rule or correct its name.", problems);
        Assert.Contains("rules/chirp.json has rules for public.chirps, which does not exist in appdb: remove them or correct the table's name.", problems);
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void A_mask_that_does_not_fit_the_columns_type_is_an_error()
    {
        var rules = Rules.Parse("""
            { "application": "t", "version": 1, "source": "appdb", "tables": { "public.users": { "columns": {
              "id": "replace-text", "email": "random-bytes", "seen_from": "pseudonymize-ip", "payload": "keep" } } } }
            """);
        var catalog = new DatabaseCatalog(
            [Column(s_users, "id", "uuid"), Column(s_users, "email", "text"), Column(s_users, "seen_from", "inet"), Column(s_users, "payload", "jsonb")],
            []);

        var problems = RulesCheck.Problems(rules, catalog);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, problem => problem.StartsWith("public.users.id (uuid) in test.json: \"replace-text\" does not fit this type", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("public.users.email (text) in test.json: \"random-bytes\" does not fit this type", StringComparison.Ordinal));
    }

    [Fact]
    public void Null_needs_a_nullable_column_and_a_generated_column_can_only_be_kept()
    {
        var rules = Rules.Parse("""
            { "application": "t", "version": 1, "source": "appdb", "tables": { "public.users": { "columns": {
              "email": "null", "email_domain": "replace-text" } } } }
            """);
        var catalog = new DatabaseCatalog(
            [Column(s_users, "email", "text", notNull: true), Column(s_users, "email_domain", "text", generated: true)],
            []);

        var problems = RulesCheck.Problems(rules, catalog);

        Assert.Contains(problems, problem => problem.Contains("\"null\" needs a nullable column", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Contains("a generated column is computed from other columns", StringComparison.Ordinal));
    }

    [Fact]
    public void A_truncated_table_must_not_be_referenced_by_a_table_that_keeps_its_rows()
    {
        var catalog = AppDb(extra: [Column(new TableName("public", "deliveries"), "outbox_id", "bigint")]);
        var rules = Rules.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "rules", "chirp.json"))
            .Replace("\"tables\": {", "\"tables\": { \"public.deliveries\": { \"columns\": { \"outbox_id\": \"keep\" } },", StringComparison.Ordinal));
        catalog = catalog with { ForeignKeys = [.. catalog.ForeignKeys, new ForeignKey(new TableName("public", "deliveries"), s_outbox)] };

        var problem = Assert.Single(RulesCheck.Problems(rules, catalog));

        Assert.StartsWith("public.outbox is truncated in test.json, but public.deliveries keeps rows that reference it", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_source_asks_whether_the_migrator_ran()
    {
        var problem = Assert.Single(RulesCheck.Problems(Rules.Shipped(), new DatabaseCatalog([], [])));

        Assert.Contains("has the Migrator run?", problem, StringComparison.Ordinal);
    }

    /// <summary>appdb's columns as the migrations in services/Migrator/migrations/appdb create them.</summary>
    private static DatabaseCatalog AppDb(IEnumerable<ColumnInfo>? extra = null)
    {
        var apiKeys = new TableName("public", "api_keys");
        var chirps = new TableName("public", "chirps");
        var idempotency = new TableName("public", "idempotency_keys");
        var migrations = new TableName("public", "schema_migrations");
        List<ColumnInfo> columns =
        [
            Column(apiKeys, "id", "uuid"), Column(apiKeys, "user_id", "uuid"), Column(apiKeys, "prefix", "text"),
            Column(apiKeys, "key_hash", "bytea"), Column(apiKeys, "created_at", "timestamp with time zone"),
            Column(apiKeys, "revoked_at", "timestamp with time zone"),
            Column(chirps, "id", "uuid"), Column(chirps, "author_id", "uuid"), Column(chirps, "body", "text"),
            Column(chirps, "created_at", "timestamp with time zone"),
            Column(idempotency, "scope", "text"), Column(idempotency, "key_hash", "bytea"),
            Column(s_outbox, "id", "bigint"), Column(s_outbox, "payload", "jsonb"),
            Column(migrations, "id", "integer"), Column(migrations, "type", "smallint"), Column(migrations, "version", "character varying(50)"),
            Column(migrations, "description", "character varying(200)"), Column(migrations, "name", "character varying(300)"),
            Column(migrations, "checksum", "character varying(32)"), Column(migrations, "installed_by", "character varying(100)"),
            Column(migrations, "installed_on", "timestamp without time zone"), Column(migrations, "success", "boolean"),
            Column(s_users, "id", "uuid"), Column(s_users, "handle", "text"), Column(s_users, "email", "text"),
            Column(s_users, "display_name", "text"), Column(s_users, "created_at", "timestamp with time zone"),
            Column(s_users, "bio", "text"),
        ];
        columns.AddRange(extra ?? []);
        return new DatabaseCatalog(columns, [new ForeignKey(apiKeys, s_users), new ForeignKey(chirps, s_users)]);
    }

    private static ColumnInfo Column(TableName table, string name, string type, bool notNull = false, bool generated = false) =>
        new(table, name, type, DatabaseCatalog.FamilyOf(type switch
        {
            "timestamp with time zone" => "timestamptz",
            "integer" => "int4",
            _ when type.StartsWith("character varying", StringComparison.Ordinal) => "varchar",
            _ => type,
        }), notNull, generated);
}
