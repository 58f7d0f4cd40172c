[assembly: AssemblyFixture(typeof(AppHost.IntegrationTests.NativeSystemFixture))]
