using Snapshot.Job.Masking;

namespace Snapshot.Job.UnitTests;

public sealed class RulesFileTests
{
    [Fact]
    public void The_shipped_chirp_rules_read_with_comments_and_name_appdb()
    {
        var rules = Rules.Shipped();

        Assert.Equal("chirp", rules.Application);
        Assert.Equal("appdb", rules.Source);
        Assert.Equal(["public.idempotency_keys", "public.outbox"], rules.TruncatedTables.Select(table => table.ToString()).Order());
        var users = rules.Find(new TableName("public", "users"))!;
        var handle = users.Columns.Single(column => column.Column == "handle");
        Assert.Equal((MaskKind.Pseudonym, "user_", 20), (handle.Mask.Kind, handle.Prefix, handle.Length));
        Assert.Equal(MaskKind.PseudonymizeEmail, users.Columns.Single(column => column.Column == "email").Mask.Kind);
        Assert.Equal(64, rules.File.Sha256.Length);
    }

    [Fact]
    public void Secrets_belong_to_step_3_and_personal_data_to_step_2()
    {
        var apiKeys = Rules.Shipped().Find(new TableName("public", "api_keys"))!;

        Assert.Equal(["prefix", "key_hash"], apiKeys.ColumnsFor(MaskStep.ReplaceSecrets).Select(column => column.Column));
        Assert.Empty(apiKeys.ColumnsFor(MaskStep.Anonymize));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_naming_its_place()
    {
        var exception = Assert.Throws<SnapshotConfigurationException>(() => Rules.Parse("""
            {
              "application": "chirp",
              "source": "appdb",
              "tables": {
                "users": { "columns": { "id": "keep" } },
                "public.users": { "columns": { "email": "pseudonymise-email", "id": { "mask": "keep", "prefix": "x" } } },
                "public.outbox": { "truncate": true, "columns": { "id": "keep" } },
                "public.chirps": { }
              }
            }
            """));

        Assert.Contains("\"version\" must be", exception.Message, StringComparison.Ordinal);
        Assert.Contains("\"users\" is not a table name like \"public.users\"", exception.Message, StringComparison.Ordinal);
        Assert.Contains("public.users.email: unknown mask \"pseudonymise-email\"; the masks are: keep, null, pseudonymize-email", exception.Message, StringComparison.Ordinal);
        Assert.Contains("public.users.id: \"keep\" takes no \"prefix\" or \"length\"", exception.Message, StringComparison.Ordinal);
        Assert.Contains("public.outbox: a truncated table copies no rows", exception.Message, StringComparison.Ordinal);
        Assert.Contains("public.chirps: give a rule for each column", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelled_property_is_refused_rather_than_ignored()
    {
        var exception = Assert.Throws<SnapshotConfigurationException>(() => Rules.Parse("""
            { "application": "chirp", "version": 1, "source": "appdb",
              "tables": { "public.outbox": { "truncat": true } } }
            """));

        Assert.Contains("truncat", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_length_outside_4_to_64_hex_digits_is_refused()
    {
        var exception = Assert.Throws<SnapshotConfigurationException>(() => Rules.Parse("""
            { "application": "chirp", "version": 1, "source": "appdb",
              "tables": { "public.users": { "columns": { "handle": { "mask": "pseudonym", "length": 65 } } } } }
            """));

        Assert.Contains("public.users.handle: \"length\" (hex digits) must be from 4 to 64", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_application_name_that_cannot_name_files_and_databases_is_refused()
    {
        var exception = Assert.Throws<SnapshotConfigurationException>(() => Rules.Parse("""
            { "application": "chirp api/../x", "version": 1, "source": "appdb",
              "tables": { "public.outbox": { "truncate": true } } }
            """));

        Assert.Contains("\"application\"", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_json_is_refused_with_the_parsers_position()
    {
        var exception = Assert.Throws<SnapshotConfigurationException>(() => Rules.Parse("{ \"application\": "));

        Assert.Contains("test.json is not a valid rules file", exception.Message, StringComparison.Ordinal);
        Assert.Contains("LineNumber", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_a_configuration_error_naming_it()
    {
        var exception = Assert.Throws<SnapshotConfigurationException>(() => RulesFile.Load("/nonexistent/rules.json", "rules/nope.json"));

        Assert.Contains("Cannot read the rules file rules/nope.json (/nonexistent/rules.json)", exception.Message, StringComparison.Ordinal);
    }
}
