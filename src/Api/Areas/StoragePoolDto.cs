namespace OrleansCloud.Api.Areas;

/// <summary>A storage pool of an area, as its hosts report it.</summary>
public sealed record StoragePoolDto(string Name, string Path, long SizeGb, long FreeGb);
