using Lab.Checker.Sql;

namespace Exercises.UnitTests;

public sealed class SqlScriptTests
{
    [Fact]
    public void Splits_at_top_level_semicolons_and_keeps_the_starting_line()
    {
        var statements = SqlScript.Split("-- a comment\nCREATE INDEX a ON t (x);\n\nVACUUM t;\n");

        Assert.Equal(["CREATE INDEX a ON t (x)", "VACUUM t"], statements.Select(statement => statement.Text));
        Assert.Equal([2, 4], statements.Select(statement => statement.Line));
    }

    [Fact]
    public void A_file_of_comments_has_no_statement()
    {
        Assert.Empty(SqlScript.Split("-- write your index here\n/* and here */\n;\n"));
    }

    [Fact]
    public void Semicolons_inside_strings_identifiers_comments_and_dollar_quotes_do_not_split()
    {
        const string sql = """
            SELECT 'a;b', "c;d" /* e; /* nested; */ f */ FROM t;
            DO $$ BEGIN PERFORM 1; PERFORM 2; END $$;
            DO $body$ BEGIN RAISE NOTICE '$$;'; END $body$;
            SELECT E'it\'s; fine';
            """;

        var statements = SqlScript.Split(sql);

        Assert.Equal(4, statements.Count);
        Assert.StartsWith("DO $$ BEGIN PERFORM 1; PERFORM 2; END $$", statements[1].Text, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3, 4], statements.Select(statement => statement.Line));
    }

    [Fact]
    public void An_error_position_maps_to_the_line_of_the_file()
    {
        var statement = SqlScript.Split("\n\nCREATE INDEX a\nON t (nope);")[0];

        var position = statement.Text.IndexOf("nope", StringComparison.Ordinal) + 1;

        Assert.Equal(4, statement.LineOf(position));
    }

    [Fact]
    public void A_positional_parameter_is_not_a_dollar_quote()
    {
        var statements = SqlScript.Split("SELECT $1; SELECT 2;");

        Assert.Equal(2, statements.Count);
    }

    [Theory]
    [InlineData("CREATE INDEX ON lab01.audit_events (actor_id);", "lab01.audit_events")]
    [InlineData("CREATE INDEX ON lab01_hidden . audit_events (actor_id);", "lab01_hidden . audit_events")]
    [InlineData("-- not lab01.audit_events in a comment\nCREATE INDEX ON audit_events (actor_id);", null)]
    public void Finds_exercise_schema_names_outside_comments(string sql, string? expected)
    {
        Assert.Equal(expected, LearnerSql.SchemaQualification(sql));
    }
}
