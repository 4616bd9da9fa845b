namespace OrleansCloud.Api;

/// <summary>Endpoint metadata: this route's body limit, below <see cref="ApiLimitsOptions.MaxRequestBodyBytes"/>.</summary>
public sealed record BodySizeLimit(long Bytes);
