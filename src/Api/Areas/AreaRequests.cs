namespace OrleansCloud.Api.Areas;

public sealed record VlanRangeDto(int? From, int? To);

/// <summary>A new area. Only <c>area</c> is required: the rest take the documented defaults.</summary>
public sealed record CreateAreaRequest(
    string? Area, string? Name, string? Description, VlanRangeDto? VlanRange, string? SubnetPool, string? PublicSubnet);

/// <summary>A change of an area: absent fields stay as they are; <c>"publicSubnet": ""</c> removes the public subnet.</summary>
public sealed record ChangeAreaRequest(
    string? Name, string? Description, VlanRangeDto? VlanRange, string? SubnetPool, string? PublicSubnet);
