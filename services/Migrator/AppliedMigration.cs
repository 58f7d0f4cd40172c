namespace Migrator;

/// <summary>A migration Evolve recorded as applied in <c>public.schema_migrations</c>.</summary>
/// <param name="Name">"0001_users"; a file this Migrator does not have is named by Evolve's version and description.</param>
/// <param name="InstalledOn">When it ran, in the server's time zone (Evolve's column has none).</param>
/// <param name="Description">Evolve's description: the slug in words and how long the file took, e.g. "users (12 ms)".</param>
public sealed record AppliedMigration(string Name, DateTime? InstalledOn, string? Description);
