namespace AppHost.IntegrationTests;

/// <summary>The tests that share one running system (it takes half a minute to come up).</summary>
[CollectionDefinition(nameof(NativeSystem))]
public sealed class NativeSystem : ICollectionFixture<NativeSystemFixture>;
