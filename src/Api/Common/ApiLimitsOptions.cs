using System.ComponentModel.DataAnnotations;

namespace OrleansCloud.Api;

/// <summary>Request limits of the HTTP edge (configuration section <c>Api:Limits</c>), validated at start.</summary>
public sealed class ApiLimitsOptions
{
    public const string Section = "Api:Limits";

    /// <summary>The body limit of a route that names none of its own: 1 MiB, ample for a task with a cloud-init.</summary>
    [Range(1024, 30 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
