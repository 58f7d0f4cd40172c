using Sandbox.Testing;

[assembly: AssemblyFixture(typeof(PostgresFixture))]
