namespace OrleansCloud.Jobs;

/// <summary>An external job's status (api.md "Jobs and steps"); a job ends once, in one of the last three.</summary>
public enum JobStatus
{
    Started = 0,
    Finished = 1,
    Failed = 2,
    Aborted = 3,
}
