namespace OrleansCloud.Api.Tests.Http;

[CollectionDefinition(Name)]
public sealed class AllInOneCollection : ICollectionFixture<AllInOneFactory>
{
    public const string Name = "all-in-one";
}
