using Sandbox.Testing;
using Snapshot.Job.IntegrationTests;

[assembly: AssemblyFixture(typeof(PostgresFixture))]
[assembly: AssemblyFixture(typeof(SnapshotSource))]
