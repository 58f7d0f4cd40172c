using System.Security.Cryptography;
using Migrator;
using Sandbox.Testing;

namespace Snapshot.Job.IntegrationTests;

/// <summary>What an uninterrupted run writes, restored the way a developer would restore it.</summary>
public sealed class SnapshotContentTests(PostgresFixture postgres, SnapshotSource source)
{
    [Fact]
    public async Task A_run_writes_the_dump_and_a_manifest_of_every_table_and_step()
    {
        var (manifest, dump) = await source.ReferenceAsync();
        // Evolve's rows: one per applied migration, and one that marked the schema empty before the first.
        var bookkeepingRows = await Snapshots.CountAsync(source.DataSource, "SELECT count(*) FROM schema_migrations");

        Assert.Equal(
            [
                ("public.api_keys", "masked", (long)source.Data.ApiKeys.Count),
                ("public.chirps", "masked", source.Data.Chirps.Count),
                ("public.idempotency_keys", "truncated", 0),
                ("public.outbox", "truncated", 0),
                ("public.schema_migrations", "kept", bookkeepingRows),
                ("public.users", "masked", SnapshotSource.UserCount),
            ],
            manifest.Tables.Select(table => (table.Table, table.Treatment, table.Rows)).OrderBy(table => table.Table, StringComparer.Ordinal));
        Assert.All(manifest.Tables, table => Assert.Matches("^sha256:[0-9a-f]{64}$", table.Checksum));
        Assert.Equal(["copy", "anonymize", "replace-secrets", "write-snapshot"], manifest.Steps.Select(step => step.Name));
        Assert.All(manifest.Steps, step => Assert.InRange(step.DurationMs, 0, 600_000));
        Assert.Equal((1, "rules/chirp.json"), (manifest.Rules.Version, manifest.Rules.File));
        Assert.Equal(MigrationFiles.For("appdb")[^1], manifest.Source.SchemaVersion);
        Assert.Equal(1, manifest.Attempts);
        await using var file = File.OpenRead(dump);
        Assert.Equal(manifest.DumpBytes, file.Length);
        Assert.Equal(manifest.DumpSha256, "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(file, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task The_snapshot_restores_into_a_fresh_database_with_the_manifests_tables_rows_and_checksums()
    {
        var (manifest, dump) = await source.ReferenceAsync();

        await using var restored = await Snapshots.RestoreAsync(postgres, dump);

        var tables = await Snapshots.AllTablesAsync(restored.DataSource);
        Assert.Equal(manifest.Tables.Select(table => table.Table).Order(StringComparer.Ordinal), tables);
        Assert.Equal(Snapshots.Content(manifest), await Snapshots.ContentAsync(restored.DataSource, tables));
        // The snapshot is at the schema version the code needs: the Migrator finds nothing to apply.
        var report = await DatabaseMigrator.MigrateAsync(restored.DataSource, "appdb", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Empty(report.Applied);
    }

    [Fact]
    public async Task The_restored_snapshot_holds_none_of_the_sources_emails_names_handles_ip_addresses_or_key_hashes()
    {
        var (_, dump) = await source.ReferenceAsync();
        var needles = source.Data.Needles().Select(needle => needle.ToLowerInvariant()).ToList();
        await using var restored = await Snapshots.RestoreAsync(postgres, dump);

        var inSource = (await Snapshots.AllRowsAsync(source.DataSource)).ToLowerInvariant();
        var inSnapshot = (await Snapshots.AllRowsAsync(restored.DataSource)).ToLowerInvariant();

        // The scan itself works: the source holds every needle (hashes as \x hex in bytea columns).
        var missing = needles.Where(needle => !inSource.Contains(needle, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"The source lacks {string.Join(", ", missing.Take(10))}");
        var leaks = needles.Where(needle => inSnapshot.Contains(needle, StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} of {needles.Count} source values are in the snapshot, e.g. {string.Join(", ", leaks.Take(10))}");
    }

    [Fact]
    public async Task Masking_keeps_every_key_join_and_unique_value()
    {
        var (_, dump) = await source.ReferenceAsync();
        await using var restored = await Snapshots.RestoreAsync(postgres, dump);
        var db = restored.DataSource;

        Assert.Equal(SnapshotSource.UserCount, await Snapshots.CountAsync(db, "SELECT count(DISTINCT lower(email)) FROM users WHERE email ~ '^user_[0-9a-f]{20}@snapshot\\.invalid$'"));
        Assert.Equal(SnapshotSource.UserCount, await Snapshots.CountAsync(db, "SELECT count(DISTINCT lower(handle)) FROM users WHERE handle ~ '^user_[0-9a-f]{20}$'"));
        Assert.Equal(source.Data.ApiKeys.Count, await Snapshots.CountAsync(db, "SELECT count(DISTINCT prefix) FROM api_keys WHERE prefix ~ '^chirp_[0-9a-f]{16}$' AND octet_length(key_hash) = 32"));
        // Ids are kept, so every chirp and key still belongs to the same user, and texts keep their lengths.
        const string shape = "SELECT md5(string_agg(format('%s %s %s', u.id, (SELECT count(*) FROM chirps c WHERE c.author_id = u.id), char_length(u.bio)), ',' ORDER BY u.id)) FROM users u";
        Assert.Equal(await Snapshots.ScalarAsync(source.DataSource, shape), await Snapshots.ScalarAsync(db, shape));
        const string chirpShape = "SELECT md5(string_agg(format('%s %s %s', id, author_id, char_length(body)), ',' ORDER BY id)) FROM chirps";
        Assert.Equal(await Snapshots.ScalarAsync(source.DataSource, chirpShape), await Snapshots.ScalarAsync(db, chirpShape));
    }

    [Fact]
    public async Task Another_run_key_masks_differently_and_leaves_what_is_kept_alone()
    {
        var (reference, _) = await source.ReferenceAsync();
        await using var workspace = new JobWorkspace(source.ConnectionString);

        var result = await workspace.RunAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        var other = workspace.Manifest().Tables.ToDictionary(table => table.Table, table => table.Checksum);
        var first = reference.Tables.ToDictionary(table => table.Table, table => table.Checksum);
        Assert.NotEqual(first["public.users"], other["public.users"]);
        Assert.NotEqual(first["public.api_keys"], other["public.api_keys"]);
        Assert.Equal(first["public.schema_migrations"], other["public.schema_migrations"]);
        // Replaced text does not depend on the key.
        Assert.Equal(first["public.chirps"], other["public.chirps"]);
        Assert.False(await workspace.WorkDatabaseExistsAsync());
    }
}
