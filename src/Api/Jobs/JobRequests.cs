namespace OrleansCloud.Api.Jobs;

/// <summary><c>POST /{scope}/jobs</c>: a job reported from outside (a plug-in, an operator's script).</summary>
public sealed record CreateJobRequest(string? TenantId, string? Description, string? ActionType, bool? AutoCleared);

/// <summary><c>POST /jobs/{jobId}/steps</c>: <c>type</c> VALIDATING, EXECUTING (the default) or FINALIZING.</summary>
public sealed record AddStepRequest(string? Type, string? Description, string? ParentStepId);

/// <summary><c>POST /jobs/{jobId}/end</c>: <c>status</c> FINISHED, FAILED or ABORTED; <c>force</c> aborts open steps.</summary>
public sealed record EndJobRequest(string? Status, bool? Force);

/// <summary><c>POST /jobs/{jobId}/steps/{stepId}/end</c>.</summary>
public sealed record EndStepRequest(bool? Succeeded);
