namespace OrleansCloud.Tasks;

public enum StepStatus
{
    Started = 0,
    Finished = 1,
    Failed = 2,
    Aborted = 3,
}
